import type { FeedEvent } from "@/lib/live/feed";

// One /api/live stream per browser tab, shared by everything on the page that listens (the live
// list refresh, the notification bell, export downloads). Browsers allow only 6 HTTP/1.1
// connections per host: a stream per listener would let two or three open tabs starve every
// other request of the same user.

export type LiveHandlers = {
  /** The stream is open (again): called at once when it already is. */
  open?: () => void;
  /** The stream dropped; EventSource reconnects by itself. */
  error?: () => void;
  /** A feed event (lib/live/feed.ts). */
  event?: (event: FeedEvent) => void;
};

const FEED_EVENT_TYPES = ["changes", "resync", "user"] as const satisfies FeedEvent["type"][];

let shared: { source: EventSource; listeners: Set<LiveHandlers> } | null = null;

/** Listens on the tab's stream, opening it for the first listener; returns the unsubscribe. */
export function subscribeLive(handlers: LiveHandlers): () => void {
  if (!shared) {
    const source = new EventSource("/api/live");
    const listeners = new Set<LiveHandlers>();
    source.addEventListener("open", () => {
      for (const l of listeners) l.open?.();
    });
    source.addEventListener("error", () => {
      for (const l of listeners) l.error?.();
    });
    for (const type of FEED_EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        const event = JSON.parse((e as MessageEvent<string>).data) as FeedEvent;
        for (const l of listeners) l.event?.(event);
      });
    }
    shared = { source, listeners };
  }
  const current = shared;
  current.listeners.add(handlers);
  if (current.source.readyState === EventSource.OPEN) handlers.open?.();
  return () => {
    current.listeners.delete(handlers);
    if (current.listeners.size === 0) {
      current.source.close();
      if (shared === current) shared = null;
    }
  };
}
