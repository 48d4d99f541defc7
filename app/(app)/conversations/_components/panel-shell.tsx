"use client";

import { useRouter } from "next/navigation";
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";

// The Insights panel's frame. At 2xl (≥ 1536 px) a resizable split beside the table; narrower, a
// side sheet over the page that behaves as a modal dialog: focus moves into it, Tab stays inside,
// Esc or the backdrop closes it, and focus returns to the row it was opened from.

const WIDE = "(min-width: 1536px)";
const WIDTH_KEY = "parley.panel-width";
const MIN = 360;
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function PanelShell({
  id,
  closeHref,
  children,
}: {
  id: string;
  closeHref: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const ref = useRef<HTMLElement>(null);
  const [width, setWidthState] = useState<number | null>(null);
  // Unknown until mounted (the server cannot know the width): rendered as the split, then adjusted.
  const [sheet, setSheet] = useState(false);

  useEffect(() => {
    const query = window.matchMedia(WIDE);
    const update = () => setSheet(!query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);

  // A saved split width, applied after hydration (a style the server did not render).
  useEffect(() => {
    const saved = Number(localStorage.getItem(WIDTH_KEY));
    if (saved >= MIN) ref.current?.parentElement?.style.setProperty("--panel-width", `${saved}px`);
    setWidthState(Math.round(ref.current?.getBoundingClientRect().width ?? 0) || null);
  }, []);

  // As a sheet: focus moves in when it opens (or shows another conversation) and returns on close.
  useEffect(() => {
    if (!sheet) return;
    const panel = ref.current;
    if (!panel?.contains(document.activeElement)) panel?.focus();
    return () => {
      const row = document.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(id)}"]`);
      if (row && !document.activeElement?.closest("[role='dialog'], [role='menu']")) row.focus();
    };
  }, [sheet, id]);

  const close = () => router.push(closeHref, { scroll: false });

  // As a sheet the panel is a modal dialog; the roles are set here, once the width is known.
  useEffect(() => {
    const panel = ref.current;
    if (!panel || !sheet) return;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.addEventListener("keydown", onKeyDown);
    return () => {
      panel.removeAttribute("role");
      panel.removeAttribute("aria-modal");
      panel.removeEventListener("keydown", onKeyDown);
    };
  });

  function onKeyDown(event: globalThis.KeyboardEvent) {
    if (!ref.current?.contains(event.target as Node)) return;
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "Tab") return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter(
      (el) => el.offsetParent !== null,
    );
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function startResize(event: React.PointerEvent<HTMLDivElement>) {
    const grid = ref.current?.parentElement;
    if (!grid) return;
    event.preventDefault();
    const right = grid.getBoundingClientRect().right;
    const move = (e: PointerEvent) => setWidthState(setWidth(grid, right - e.clientX));
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  function resizeByKey(event: KeyboardEvent<HTMLDivElement>) {
    const grid = ref.current?.parentElement;
    const current = ref.current?.getBoundingClientRect().width;
    if (!grid || !current) return;
    const step = event.shiftKey ? 80 : 24;
    if (event.key === "ArrowLeft") setWidthState(setWidth(grid, current + step));
    else if (event.key === "ArrowRight") setWidthState(setWidth(grid, current - step));
    else return;
    event.preventDefault();
  }

  return (
    <>
      {sheet && <div className="fixed inset-0 z-50 bg-black/40" onClick={close} aria-hidden />}
      <section
        ref={ref}
        id="conversation-panel"
        aria-label="Conversation details"
        tabIndex={-1}
        data-testid="conversation-panel"
        data-mode={sheet ? "sheet" : "split"}
        className="fixed inset-y-0 right-0 z-50 flex w-full flex-col border-l border-border bg-background shadow-xl outline-none sm:max-w-xl 2xl:relative 2xl:inset-auto 2xl:sticky 2xl:top-[4.5rem] 2xl:z-auto 2xl:max-h-[calc(100dvh-6rem)] 2xl:w-auto 2xl:max-w-none 2xl:rounded-lg 2xl:border 2xl:shadow-xs"
      >
        {!sheet && (
          // biome-ignore lint/a11y/useSemanticElements: a focusable splitter, as WAI-ARIA's window splitter pattern
          <div
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the panel"
            aria-controls="conversation-panel"
            aria-valuemin={MIN}
            aria-valuenow={width ?? undefined}
            tabIndex={0}
            onPointerDown={startResize}
            onKeyDown={resizeByKey}
            className="absolute inset-y-0 -left-2.5 hidden w-2 cursor-col-resize rounded outline-none hover:bg-primary/30 focus-visible:bg-primary/40 2xl:block"
          />
        )}
        {children}
      </section>
    </>
  );
}

function setWidth(grid: HTMLElement, px: number): number {
  const width = Math.round(Math.min(Math.max(px, MIN), grid.getBoundingClientRect().width * 0.6));
  grid.style.setProperty("--panel-width", `${width}px`);
  localStorage.setItem(WIDTH_KEY, String(width));
  return width;
}
