"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

// Keyboard-first list: j/k move the focused row, Enter opens it in the panel, Esc closes the panel,
// x toggles the row's checkbox, / focuses the search field (when the page has one). Rows are found by
// their data attributes (conversations-table.tsx), so the table itself stays a server component.

const ROW = "[data-conversation-row]";
// Keys typed into these belong to them; open menus and dialogs handle their own keys (Esc included).
const OWNS_KEYS =
  "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='menu'], [role='dialog'], [role='listbox']";

export function ListKeyboard({ closeHref }: { closeHref: string | null }) {
  const router = useRouter();
  const lastRow = useRef<string | null>(null);

  useEffect(() => {
    const rows = () => [...document.querySelectorAll<HTMLElement>(ROW)];
    const focusRow = (row: HTMLElement | undefined) => {
      if (!row) return;
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
      lastRow.current = row.dataset.conversationId ?? null;
    };
    const current = () => {
      const active = document.activeElement?.closest<HTMLElement>(ROW);
      if (active) return active;
      return rows().find((r) => r.dataset.conversationId === lastRow.current) ?? null;
    };

    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const isRowCheckbox = target?.matches("[data-row-checkbox]") ?? false;
      if (target?.closest(OWNS_KEYS) && !isRowCheckbox) return;
      // A menu or dialog portalled out of the row (Radix) still owns Esc while it is open.
      if (
        event.key === "Escape" &&
        document.querySelector("[role='menu'], [role='dialog'][data-state='open']")
      )
        return;

      const all = rows();
      const row = current();
      switch (event.key) {
        case "j":
        case "k": {
          const index = row ? all.indexOf(row) : -1;
          const next = event.key === "j" ? Math.min(index + 1, all.length - 1) : Math.max(index - 1, 0);
          focusRow(all[index === -1 ? 0 : next]);
          break;
        }
        case "Enter": {
          // Only on the row itself: Enter on a link or button inside it keeps its own meaning.
          if (!row || document.activeElement !== row || !row.dataset.openHref) return;
          router.push(row.dataset.openHref, { scroll: false });
          break;
        }
        case "Escape": {
          if (!closeHref) return;
          router.push(closeHref, { scroll: false });
          // Back to the row that was open, so j/k carry on from there.
          requestAnimationFrame(() => focusRow(current() ?? undefined));
          break;
        }
        case "x": {
          row?.querySelector<HTMLInputElement>("[data-row-checkbox]")?.click();
          if (!row) return;
          break;
        }
        case "/": {
          const search = document.querySelector<HTMLElement>("[data-search-input]");
          if (!search) return;
          search.focus();
          break;
        }
        default:
          return;
      }
      event.preventDefault();
    }

    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [closeHref, router]);

  return null;
}
