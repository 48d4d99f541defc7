"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/conversations/format";

/**
 * Time from `from` to `to`, or to now while `to` is null (ticking every second). Hydration starts
 * from the server's `renderedAt`, so the first paint and the hydrated text agree; the clock then
 * moves on from the browser's time.
 */
export function Elapsed({ from, to, renderedAt }: { from: Date; to: Date | null; renderedAt: Date }) {
  const [now, setNow] = useState(renderedAt);
  useEffect(() => {
    if (to) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [to]);
  return <span className="tabular-nums">{formatDuration(from, to ?? now)}</span>;
}
