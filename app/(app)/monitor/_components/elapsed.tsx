"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/conversations/format";

/**
 * Time from `from` to `to`, or to now while `to` is null (ticking every second). The server's
 * rendering is replaced by the browser's clock on hydration, hence the suppressed warning.
 */
export function Elapsed({ from, to }: { from: Date; to: Date | null }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (to) return;
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [to]);
  return (
    <span className="tabular-nums" suppressHydrationWarning>
      {formatDuration(from, to ?? now)}
    </span>
  );
}
