"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { subscribeLive } from "@/components/live-events";
import type { ConversationChange } from "@/lib/live/feed";

/**
 * What the page shows: its rows (and the open conversation), and the span of start times it covers
 * (ISO; null where the page is at that end of the list, so anything newer/older may enter it).
 */
export type LiveWatch = { ids: string[]; from: string | null; to: string | null };

const DEBOUNCE_MS = 500;
const MAX_WAIT_MS = 2000; // a steady stream of changes still refreshes every couple of seconds

/**
 * The tab's live stream (/api/live, shared: components/live-events.ts). A change that concerns this page — one of its rows, or a
 * conversation starting within its span, which may now match its filter — re-renders the page on
 * the server (router.refresh), debounced, so a burst of events costs one request.
 */
export function LiveRefresh({ watch }: { watch: LiveWatch }) {
  const router = useRouter();
  // The latest props for the long-lived listener, without reopening the stream on every render.
  const watchRef = useRef(watch);
  useEffect(() => {
    watchRef.current = watch;
  }, [watch]);
  const [state, setState] = useState<"connecting" | "live">("connecting");

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let firstAt = 0;
    const refresh = () => {
      const now = Date.now();
      if (!timer) firstAt = now;
      else clearTimeout(timer);
      const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstAt + MAX_WAIT_MS - now));
      timer = setTimeout(() => {
        timer = null;
        router.refresh();
      }, wait);
    };
    const relevant = ({ id, startedAt }: ConversationChange) => {
      const { ids, from, to } = watchRef.current;
      if (ids.includes(id)) return true;
      const at = Date.parse(startedAt);
      return (from === null || at >= Date.parse(from)) && (to === null || at <= Date.parse(to));
    };

    const unsubscribe = subscribeLive({
      open: () => setState("live"),
      error: () => setState("connecting"), // EventSource reconnects by itself
      event: (event) => {
        if (event.type === "resync" || (event.type === "changes" && event.changes.some(relevant))) refresh();
      },
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [router]);

  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-muted-foreground"
      data-testid="live-status"
      data-state={state}
    >
      <span
        aria-hidden
        className={
          state === "live"
            ? "size-2 rounded-full bg-emerald-500"
            : "size-2 rounded-full bg-muted-foreground/40"
        }
      />
      {state === "live" ? "Live" : "Connecting…"}
    </span>
  );
}
