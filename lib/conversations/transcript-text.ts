import type { Database } from "../../db/client.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import { FIRST_PAGE, getTranscriptPage, type TranscriptEntry } from "./detail.ts";

// "Download transcript" from the list's ⋮ menu: the panel's transcript (same scope, same masking and
// de-identification, lib/conversations/detail.ts) as plain text, one line per entry, times in UTC.

const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function line(entry: TranscriptEntry): string {
  if (entry.type === "pause") return `[${utc(entry.at)} – ${utc(entry.endedAt)}] ${entry.label}`;
  const subject = entry.email?.subject ? `Subject: ${entry.email.subject}\n` : "";
  const text = entry.label ? `${entry.label}${entry.body ? `: ${entry.body}` : ""}` : entry.body;
  return `[${utc(entry.at)}] ${entry.speakerName}: ${subject}${text}`;
}

/** Every transcript entry, page by page, or null when the conversation is outside the viewer's scope. */
export async function transcriptEntries(
  db: Database,
  viewer: ScopeViewer,
  id: string,
): Promise<TranscriptEntry[] | null> {
  const entries: TranscriptEntry[] = [];
  let afterSeq: number | null = FIRST_PAGE;
  while (afterSeq !== null) {
    const page = await getTranscriptPage(db, viewer, id, afterSeq);
    if (!page) return null;
    entries.push(...page.entries);
    afterSeq = page.nextAfterSeq;
  }
  return entries;
}

/** The whole transcript as text, or null when the conversation is outside the viewer's scope. */
export async function transcriptText(db: Database, viewer: ScopeViewer, id: string): Promise<string | null> {
  const entries = await transcriptEntries(db, viewer, id);
  if (!entries) return null;
  return entries.length ? `${entries.map(line).join("\n")}\n` : "";
}
