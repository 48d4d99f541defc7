"use client";

import { useTimeZone } from "@/components/time-zone";
import { formatTranscriptTime, type TimeDisplayFormat } from "@/lib/conversations/transcript-time";
import { usePlayerLink } from "./player-context";

/** A transcript time in the admin's format; Standard Timestamps in the viewer's time zone. */
export function TranscriptTime({ format, start, at }: { format: TimeDisplayFormat; start: Date; at: Date }) {
  const seek = usePlayerLink()?.seek;
  const text = formatTranscriptTime(format, start, at, useTimeZone());
  const time = (
    <time
      dateTime={at.toISOString()}
      className="shrink-0 text-xs tabular-nums text-muted-foreground"
      data-testid="transcript-time"
    >
      {text}
    </time>
  );
  // With a playable recording beside the transcript, the time plays the call from this line.
  if (!seek) return time;
  return (
    <button
      type="button"
      onClick={() => seek(at)}
      className="rounded-sm outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
      aria-label={`Play the recording from ${text}`}
    >
      {time}
    </button>
  );
}
