import { z } from "zod";
import type { ExportKind } from "../../db/types.ts";
import { type ListView, listViewSchema } from "../list-params.ts";

// What the Export menu offers, shared by the browser (menu, messages) and the server (validation,
// the worker's file names). The user-facing sentences are the product spec's, word for word.

export const CONVERSATION_EXPORT_KINDS = [
  "conversation_data",
  "transcripts",
  "events",
  "chat_transcript",
  "latency_report",
] as const satisfies readonly ExportKind[];
export type ConversationExportKind = (typeof CONVERSATION_EXPORT_KINDS)[number];

export const EXPORT_KIND_LABELS: Record<ConversationExportKind, string> = {
  conversation_data: "Export Conversation Data",
  transcripts: "Export Transcripts",
  events: "Export Events",
  chat_transcript: "Download Chat Transcript",
  latency_report: "Download Latency Report",
};

/** "You can select up to 25 conversations for transcript export." */
export const TRANSCRIPT_EXPORT_LIMIT = 25;
/** A selection is a working set built by hand; beyond this, export everything matching a filter. */
export const SELECTION_LIMIT = 1000;
export const EVENTS_MAX_AGE_DAYS = 30;

// On hover over every inactive export and download control, and the server's refusal; defined with
// the permission rules (lib/auth) that refuse it, listed here with the Export menu's other messages.
export { EXPORT_RESTRICTED } from "../auth/permissions.ts";
export const TOO_MANY_TRANSCRIPTS = `You can select up to ${TRANSCRIPT_EXPORT_LIMIT} conversations for transcript export.`;
export const LATENCY_REPORT_UNAVAILABLE =
  "To enable Download Latency Report, add the following Call Control Parameters: notifySttLatency = true, vadEnable = true, vadVendor = silero.";
export const EVENTS_TOO_OLD =
  "The Download Events option is unavailable for conversations older than 30 days.";
export const EVENTS_PERIODIC_NOTE =
  "Events are recorded periodically, so the exported document may not always reflect the complete event history. For a comprehensive record, download events after the conversation has ended.";
export const EXPORT_STARTED = "Export started. The file downloads automatically when it is ready.";
export const EXPORT_FAILED = "The export failed. Select Retry to try again.";

/**
 * Which conversations an export covers: picked rows, or every row a list view matches — its
 * filters, search and sort as URL values, validated strictly by the list's own schema at the action
 * and again by the worker (an invalid field fails the export instead of being dropped and
 * widening it).
 */
export const exportSelectionSchema = z
  .object({
    ids: z.array(z.uuid()).min(1, "Select at least one conversation").max(SELECTION_LIMIT).optional(),
    filter: listViewSchema.optional(),
  })
  .strict()
  // One object rather than a union of two, so an error names its field (filter.status), not the union.
  .refine((s) => (s.ids === undefined) !== (s.filter === undefined), "Select conversations or a filter")
  .transform((s): { ids: string[] } | { filter: ListView } =>
    s.ids ? { ids: s.ids } : { filter: s.filter as ListView },
  );
/** The selection as sent and stored: the ids, or the view's URL values (listViewQuery). */
export type ExportSelectionInput = { ids: string[] } | { filter: Record<string, string> };
/** The selection as validated (typed filter values). */
export type ExportSelection = z.output<typeof exportSelectionSchema>;

/** `YYYY-MM-DD-HH24-mm-SS` in UTC, the stamp in every export's file name. */
export function fileStamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", "-").replaceAll(":", "-");
}

const FILE_PREFIX: Record<ConversationExportKind, string> = {
  conversation_data: "conversations",
  transcripts: "transcripts",
  events: "events",
  chat_transcript: "chat-transcript",
  latency_report: "latency-report",
};

/** The file name: e.g. `transcripts-2026-11-25-15-20-01.zip` for transcripts requested then. */
export function exportFileName(kind: ConversationExportKind, requestedAt: Date): string {
  return `${FILE_PREFIX[kind]}-${fileStamp(requestedAt)}.${kind === "transcripts" ? "zip" : "csv"}`;
}

/** Whether a conversation that started at `startedAt` is too old for its events to be exported. */
export function eventsTooOld(startedAt: Date, now: Date = new Date()): boolean {
  return now.getTime() - startedAt.getTime() > EVENTS_MAX_AGE_DAYS * 24 * 60 * 60 * 1000;
}
