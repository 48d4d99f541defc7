import { partsOf } from "../time/format.ts";

// The two ways an admin can have transcript times shown (Settings → Conversation Time Display
// Format): "Standard Timestamps" and "Duration Markers". The exact shapes come from the product spec.

export type TimeDisplayFormat = "timestamp" | "duration";

/**
 * Standard Timestamps: "Fri Jun 14 2026, 4:52:31 PM". Assembled from parts rather than taken from
 * a locale's own pattern, whose separators differ between ICU versions (e.g. a narrow no-break
 * space before "PM"). Always in an explicit zone (the viewer's): never the runtime's.
 */
export function formatStandardTimestamp(at: Date, timeZone: string): string {
  const part = partsOf(at, timeZone, {
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    hour12: true,
  });
  return (
    `${part("weekday")} ${part("month")} ${part("day")} ${part("year")}, ` +
    `${part("hour")}:${part("minute")}:${part("second")} ${part("dayPeriod").toUpperCase()}`
  );
}

/**
 * Duration Markers: time elapsed since the conversation started, "00:01", "12:34", and past an
 * hour "01:02:03". Whole seconds, rounded down; anything before the start shows as "00:00".
 */
export function formatElapsed(start: Date, at: Date): string {
  const total = Math.max(0, Math.floor((at.getTime() - start.getTime()) / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(total / 3600);
  const mmss = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours > 0 ? `${pad(hours)}:${mmss}` : mmss;
}

/** A transcript time in the admin's chosen format. */
export function formatTranscriptTime(
  format: TimeDisplayFormat,
  start: Date,
  at: Date,
  timeZone: string,
): string {
  return format === "duration" ? formatElapsed(start, at) : formatStandardTimestamp(at, timeZone);
}
