"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

// A thin bar at the top while a navigation takes longer than 150 ms (quicker ones show nothing, so
// fast pages don't flicker). Started by a click on an in-app link, or by code that navigates with
// router.push (startNavigationProgress); ended when the new URL renders.

const EVENT = "parley:navigation-start";
const DELAY_MS = 150;

/** Call before router.push so the bar shows for a slow navigation. */
export function startNavigationProgress() {
  window.dispatchEvent(new Event(EVENT));
}

function isInAppNavigation(event: MouseEvent): boolean {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return false;
  const link = (event.target as HTMLElement | null)?.closest<HTMLAnchorElement>("a[href]");
  if (!link || link.target === "_blank" || link.hasAttribute("download")) return false;
  const url = new URL(link.href, window.location.href);
  return (
    url.origin === window.location.origin &&
    url.href !== window.location.href &&
    !url.pathname.startsWith("/api/")
  );
}

export function NavigationProgress() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [state, setState] = useState<"idle" | "waiting" | "shown">("idle");

  // The new URL rendered: done.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every URL change by design
  useEffect(() => setState("idle"), [pathname, search]);

  useEffect(() => {
    const start = () => setState("waiting");
    const onClick = (event: MouseEvent) => {
      if (isInAppNavigation(event)) start();
    };
    window.addEventListener(EVENT, start);
    document.addEventListener("click", onClick);
    return () => {
      window.removeEventListener(EVENT, start);
      document.removeEventListener("click", onClick);
    };
  }, []);

  useEffect(() => {
    if (state === "idle") return;
    // Shown after the delay; dropped if the navigation never lands (e.g. the same URL).
    const timer =
      state === "waiting"
        ? setTimeout(() => setState("shown"), DELAY_MS)
        : setTimeout(() => setState("idle"), 15_000);
    return () => clearTimeout(timer);
  }, [state]);

  if (state !== "shown") return null;
  return (
    <div
      role="progressbar"
      aria-label="Loading the page"
      data-testid="navigation-progress"
      className="fixed inset-x-0 top-0 z-[60] h-0.5 overflow-hidden bg-primary/20"
    >
      <div className="h-full w-1/3 animate-[parley-progress_1.2s_ease-in-out_infinite] bg-primary" />
    </div>
  );
}
