"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { startNavigationProgress } from "@/components/navigation-progress";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";

// Keyboard-first list: j/k move the focused row, Enter opens it in the panel, Esc closes the panel,
// x toggles the row's checkbox, / focuses the search field (when the page has one), ? lists these
// keys. A click anywhere on a row (not on its own controls) opens it. Rows are found by their data
// attributes (conversations-table.tsx), so the table itself stays a server component.

const SHORTCUTS: [string, string][] = [
  ["j / k", "Next / previous conversation"],
  ["Enter", "Open the focused conversation"],
  ["Esc", "Close the panel"],
  ["x", "Select or unselect the focused conversation"],
  ["/", "Search"],
  ["?", "Show these shortcuts"],
];
// Clicks on these keep their own meaning inside a row.
const OWN_CLICKS = "a, button, input, label, select, textarea, [role='checkbox'], [role='menuitem']";

const ROW = "[data-conversation-row]";
// Where a row leads: its first link, the customer's name (list-table.tsx).
const openHref = (row: HTMLElement) => row.querySelector("a[href]")?.getAttribute("href");
// Keys typed into these belong to them; open menus and dialogs handle their own keys (Esc included).
const OWNS_KEYS =
  "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='menu'], [role='dialog'], [role='listbox']";

export function ListKeyboard({ closeHref }: { closeHref: string | null }) {
  const router = useRouter();
  const lastRow = useRef<string | null>(null);
  const [help, setHelp] = useState(false);

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
          const href = row && document.activeElement === row && openHref(row);
          if (!href) return;
          startNavigationProgress();
          router.push(href, { scroll: false });
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
        case "?": {
          setHelp(true);
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

    function onClick(event: MouseEvent) {
      const target = event.target as HTMLElement | null;
      const row = target?.closest<HTMLElement>(ROW);
      const href = row && openHref(row);
      if (!row || !href || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      if (target?.closest(OWN_CLICKS) || window.getSelection()?.toString()) return; // selecting text
      lastRow.current = row.dataset.conversationId ?? null;
      startNavigationProgress();
      router.push(href, { scroll: false });
    }

    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("click", onClick);
    };
  }, [closeHref, router]);

  return (
    <Dialog open={help} onOpenChange={setHelp}>
      <DialogContent>
        <DialogTitle>Keyboard shortcuts</DialogTitle>
        <DialogDescription>On the Conversations list, outside text fields.</DialogDescription>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded border border-border bg-muted px-1.5 py-0.5 font-mono text-xs">
                  {keys}
                </kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
