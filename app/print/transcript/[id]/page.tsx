import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CHANNELS, DIRECTIONS } from "@/components/conversation-cells";
import { getDb } from "@/db/index";
import { noteAccess } from "@/lib/audit/note-access";
import { exportAllowed } from "@/lib/auth/export-access";
import { requirePermission } from "@/lib/auth/viewer";
import { getConversationDetail } from "@/lib/conversations/detail";
import { formatDuration } from "@/lib/conversations/format";
import { transcriptEntries } from "@/lib/conversations/transcript-text";
import { formatStandardTimestamp, formatTranscriptTime } from "@/lib/conversations/transcript-time";
import { isUuid } from "@/lib/db-ranges";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { getSettings } from "@/lib/settings/request";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Print transcript" };

// "Print transcript": the whole transcript of one conversation on plain pages, without the app's
// navigation, laid out for paper by the print rules below (A4/Letter margins, black on white, no
// page break inside a message, the header repeated as a title). The same scope and masking as the
// panel (lib/conversations/detail.ts); a conversation outside the viewer's scope is a 404.
const PRINT_CSS = `
@page { margin: 16mm 14mm; }
@media print {
  html, body { background: #fff !important; color: #000 !important; }
  .print-entry { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}`;

export default async function PrintTranscriptPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePermission("conversations:read");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const db = getDb();
  const [detail, settings] = await Promise.all([getConversationDetail(db, viewer, id), getSettings()]);
  if (!detail) notFound();
  // Printing is a download by other means: the admin's switch applies (as for agents' exports).
  if (!(await exportAllowed(db, viewer))) {
    return (
      <main className="mx-auto max-w-3xl px-6 py-8 text-sm">
        <p role="alert">{EXPORT_RESTRICTED}</p>
      </main>
    );
  }
  const entries = (await transcriptEntries(db, viewer, detail.id)) ?? [];
  await noteAccess(viewer, detail.id, "conversation.print");
  const format = settings.time_display_format;
  const time = (at: Date) => formatTranscriptTime(format, detail.startedAt, at, "UTC");
  const customer = detail.user.name ?? detail.user.userId ?? "Unknown customer";
  const facts: [string, string][] = [
    ["Customer", customer],
    ["Channel", `${CHANNELS[detail.channel].label} · ${DIRECTIONS[detail.direction].label}`],
    ["Start", `${formatStandardTimestamp(detail.startedAt, "UTC")} UTC`],
    ["End", detail.endedAt ? `${formatStandardTimestamp(detail.endedAt, "UTC")} UTC` : "In progress"],
    ["Duration", formatDuration(detail.startedAt, detail.endedAt) ?? "—"],
    ["Agents", detail.details.agents.join(", ") || "—"],
    ["Queues", detail.details.queues.join(", ") || "—"],
    ["Status", detail.details.smartStatusLabel ?? detail.details.statusLabel],
    ["Session ID", detail.identifiers.sessionId],
  ];

  return (
    <main className="mx-auto max-w-3xl bg-background px-6 py-8 text-sm print:max-w-none print:p-0">
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant stylesheet, no outside input */}
      <style dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      <div className="mb-6 flex items-center justify-between gap-3 print:hidden">
        <Link href={`/conversations?open=${detail.id}`} className="text-muted-foreground underline">
          Back to the conversation
        </Link>
        <PrintButton />
      </div>
      <header className="mb-6 border-b border-border pb-4 print:border-black">
        <h1 className="text-xl font-semibold">Transcript · {customer}</h1>
        <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground print:text-black">{label}</dt>
              <dd className="min-w-0 wrap-anywhere">{value}</dd>
            </div>
          ))}
        </dl>
        {format === "timestamp" && (
          <p className="mt-2 text-xs text-muted-foreground print:text-black">Times are in UTC.</p>
        )}
      </header>
      {entries.length === 0 ? (
        <p>No transcript for this conversation yet.</p>
      ) : (
        <ol className="grid gap-3" aria-label="Transcript">
          {entries.map((entry) =>
            entry.type === "pause" ? (
              <li key={`pause-${entry.at.getTime()}`} className="print-entry italic text-muted-foreground">
                {time(entry.at)} – {entry.label}
              </li>
            ) : (
              <li key={entry.seq} className="print-entry" data-testid="print-entry">
                <div className="flex items-baseline gap-2">
                  <span className="font-semibold">{entry.speakerName}</span>
                  <span className="text-xs tabular-nums text-muted-foreground print:text-black">
                    {time(entry.at)}
                  </span>
                </div>
                {entry.email?.subject && <p className="font-medium">Subject: {entry.email.subject}</p>}
                <p className="whitespace-pre-wrap wrap-anywhere">
                  {entry.label
                    ? `${entry.label}${entry.body && entry.body !== entry.label ? `: ${entry.body}` : ""}`
                    : entry.body}
                </p>
              </li>
            ),
          )}
        </ol>
      )}
    </main>
  );
}
