"use client";

import { formatTranscriptTime, type TimeDisplayFormat } from "@/lib/conversations/transcript-time";

/**
 * A transcript time in the admin's format. Standard Timestamps are in the reader's time zone: the
 * server renders its own zone first and the browser's rendering replaces it during hydration.
 */
export function TranscriptTime({ format, start, at }: { format: TimeDisplayFormat; start: Date; at: Date }) {
  return (
    <time
      dateTime={at.toISOString()}
      className="shrink-0 text-xs tabular-nums text-muted-foreground"
      data-testid="transcript-time"
      suppressHydrationWarning
    >
      {formatTranscriptTime(format, start, at)}
    </time>
  );
}
