import { Eye } from "lucide-react";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { getDb } from "@/db/index";
import { ACCESS_DEDUP_MINUTES } from "@/lib/audit/access";
import { can } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { listAccessSection } from "@/lib/exports/holding";

/**
 * The conversation's access log for supervisors and admins: who viewed it, played or downloaded
 * its recording, downloaded a screen recording or the transcript, opened or exported Diagnostics,
 * or exported it, newest first. Admins follow it into the whole audit log for the conversation.
 * Renders nothing for anyone else (the caller has checked the viewer may see the conversation).
 */
export async function AccessSection({ conversationId, viewer }: { conversationId: string; viewer: Viewer }) {
  if (!can(viewer.role, "conversations:access-log")) return null;
  const rows = await listAccessSection(getDb(), conversationId);
  return (
    <section
      aria-labelledby="access-title"
      data-testid="access-section"
      className="mt-4 grid gap-2 border-t border-border pt-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="access-title" className="flex items-center gap-1.5 text-sm font-semibold">
          <Eye aria-hidden className="size-4 text-muted-foreground" />
          Access
        </h3>
        {can(viewer.role, "admin:view") && (
          <Link href={`/admin/audit?conversation=${conversationId}`} className="text-xs underline">
            All audit entries
          </Link>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nobody has opened this conversation yet.</p>
      ) : (
        <ul className="grid gap-1 text-sm" aria-label="Access log">
          {rows.map((row, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own; the list is re-read whole
              key={i}
              data-testid="access-entry"
              className="flex flex-wrap items-baseline gap-x-2"
            >
              <span className="font-medium">{row.userName}</span>
              <span className="min-w-0 break-words">{row.what}</span>
              <span className="ml-auto text-xs text-muted-foreground">
                <LocalTime value={row.at} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-muted-foreground">
        Repeated access by the same person is listed once every {ACCESS_DEDUP_MINUTES} minutes.
      </p>
    </section>
  );
}
