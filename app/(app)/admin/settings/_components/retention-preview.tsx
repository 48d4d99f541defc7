import { CalendarClock } from "lucide-react";
import { getDb } from "@/db/index";
import { previewDeletions } from "@/lib/recordings/retention";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/**
 * "N recordings will be deleted on DATE" under the saved retention period, for the next 30 days
 * (UTC dates; held recordings excluded; no deletion earlier than 7 days after its notice).
 */
export async function RetentionPreview({ retentionDays }: { retentionDays: number }) {
  const upcoming = await previewDeletions(getDb(), retentionDays, new Date());
  return (
    <div
      className="mt-4 rounded-lg border border-border bg-background p-4 shadow-xs"
      data-testid="retention-preview"
    >
      <h3 className="flex items-center gap-2 text-sm font-semibold">
        <CalendarClock className="size-4 text-muted-foreground" aria-hidden />
        Upcoming recording deletions
      </h3>
      {upcoming.length === 0 ? (
        <p className="mt-2 text-sm text-muted-foreground">
          No recordings will be deleted in the next 30 days under the current retention period.
        </p>
      ) : (
        <ul className="mt-2 grid gap-1 text-sm">
          {upcoming.map((d) => (
            <li key={d.date}>
              {d.count} recording{d.count === 1 ? "" : "s"} will be deleted on{" "}
              <time dateTime={d.date}>{dateFormat.format(new Date(`${d.date}T00:00:00Z`))}</time>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-muted-foreground">
        Recordings and screen recordings on legal hold are never deleted. Every deletion follows a notice at
        least 7 days earlier.
      </p>
    </div>
  );
}
