"use client";

import { CalendarClock } from "lucide-react";
import { useEffect, useState } from "react";
import type { DeletionDay } from "@/lib/recordings/retention";
import { previewRetentionAction } from "../actions";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const number = new Intl.NumberFormat("en-US");
const DEBOUNCE_MS = 300;

const plural = (n: number, one: string) => `${number.format(n)} ${one}${n === 1 ? "" : "s"}`;

/**
 * What retention deletes in the next 30 days, by date (UTC): under the saved period, and while the
 * admin types another one, under that one, before it is saved (the server counts, debounced). Held
 * recordings are excluded; no deletion comes earlier than 7 days after its notice. Announced.
 */
export function RetentionPreview({
  savedDays,
  saved,
  days,
}: {
  savedDays: number;
  /** The preview under the saved period, read with the page. */
  saved: DeletionDay[];
  /** The period in the field now; null while it is not a valid number of days. */
  days: number | null;
}) {
  const [preview, setPreview] = useState<{ days: number; upcoming: DeletionDay[] } | null>(null);
  const [failed, setFailed] = useState(false);
  const pendingDays = days !== null && days !== savedDays && preview?.days !== days ? days : null;

  useEffect(() => {
    if (pendingDays === null) return;
    let stale = false;
    const timer = setTimeout(async () => {
      try {
        const result = await previewRetentionAction({ days: pendingDays });
        if (stale) return;
        setFailed(!result.ok);
        if (result.ok) setPreview({ days: pendingDays, upcoming: result.data });
      } catch {
        if (!stale) setFailed(true);
      }
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [pendingDays]);

  const unsaved = days !== null && days !== savedDays;
  const shown = !unsaved ? { days: savedDays, upcoming: saved } : preview?.days === days ? preview : null;
  const recordings = shown?.upcoming.reduce((n, d) => n + d.recordings, 0) ?? 0;
  const screens = shown?.upcoming.reduce((n, d) => n + d.screenRecordings, 0) ?? 0;

  return (
    <div className="mt-2 rounded-md border border-border bg-muted/30 p-3" data-testid="retention-preview">
      <h4 className="flex items-center gap-2 text-sm font-semibold">
        <CalendarClock className="size-4 text-muted-foreground" aria-hidden />
        {unsaved ? `If you save ${plural(days ?? 0, "day")}` : "Upcoming deletions"}
      </h4>
      <div aria-live="polite" aria-atomic="true" className="mt-1 text-sm">
        {days === null ? (
          <p className="text-muted-foreground">Enter a number of days to see what would be deleted.</p>
        ) : failed && unsaved ? (
          <p className="text-destructive">The preview could not be loaded. Saving still works.</p>
        ) : !shown ? (
          <p className="text-muted-foreground">Counting what this period would delete…</p>
        ) : shown.upcoming.length === 0 ? (
          <p data-testid="retention-preview-summary">
            No recordings {unsaved ? "would" : "will"} be deleted in the next 30 days
            {unsaved ? " with this period." : " under the current retention period."}
          </p>
        ) : (
          <>
            <p data-testid="retention-preview-summary">
              {plural(recordings, "recording")} and {plural(screens, "screen recording")}{" "}
              {unsaved ? "would" : "will"} be deleted in the next 30 days:
            </p>
            <ul className="mt-1 grid gap-0.5">
              {shown.upcoming.map((d) => (
                <li key={d.date}>
                  <time dateTime={d.date}>{dateFormat.format(new Date(`${d.date}T00:00:00Z`))}</time>:{" "}
                  {plural(d.recordings, "recording")}
                  {d.screenRecordings > 0 && `, ${plural(d.screenRecordings, "screen recording")}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <p className="mt-2 text-xs text-muted-foreground">
        Recordings and screen recordings on legal hold are never deleted. Every deletion follows a notice at
        least 7 days earlier.
      </p>
    </div>
  );
}
