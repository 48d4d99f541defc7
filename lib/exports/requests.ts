import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";
import type { Database } from "../../db/client.ts";
import type { JobStatus } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { exportAllowed } from "../auth/export-access.ts";
import { conversationScope, scopeKind, type UserViewer } from "../auth/scope.ts";
import { buildExportJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { listViewQuery } from "../list-params.ts";
import {
  type ConversationExportKind,
  EVENTS_TOO_OLD,
  EXPORT_RESTRICTED,
  type ExportSelection,
  type ExportSelectionInput,
  eventsTooOld,
  exportFileName,
  LATENCY_REPORT_UNAVAILABLE,
  TOO_MANY_TRANSCRIPTS,
  TRANSCRIPT_EXPORT_LIMIT,
} from "./kinds.ts";
import { latencyReportEligible } from "./latency-report.ts";

// Export requests as the web process sees them: checked, recorded with their job in one transaction,
// listed, retried and downloaded. The file itself is built by the worker (./build.ts).

export const NOT_AVAILABLE = "Some of the selected conversations are not available to you.";
export const EXPORT_NOT_FOUND = "This export is not available.";

/** What the Export menu needs to enable or explain each item, for the picked rows the viewer may see. */
export type ExportOptions = {
  selected: number;
  visible: number;
  latencyEligible: number;
  tooOldForEvents: number;
};

export async function exportOptions(
  db: Database,
  viewer: UserViewer,
  ids: readonly string[],
): Promise<ExportOptions> {
  const visible = await visibleConversations(db, viewer, ids);
  const eligible = await latencyReportEligible(
    db,
    visible.map((c) => c.id),
  );
  const now = new Date();
  return {
    selected: ids.length,
    visible: visible.length,
    latencyEligible: eligible.size,
    tooOldForEvents: visible.filter((c) => eventsTooOld(c.startedAt, now)).length,
  };
}

async function visibleConversations(db: Database, viewer: UserViewer, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("conversations")
    .select(["id", "started_at as startedAt"])
    .where("id", "in", ids)
    .where(conversationScope(viewer))
    .execute();
}

/**
 * Refuses a request the menu would have shown disabled (the server is the one that decides): too
 * many transcripts, events of old conversations, a latency report without its call control
 * parameters, a conversation outside the viewer's scope.
 */
async function checkRequest(
  db: Database,
  viewer: UserViewer,
  kind: ConversationExportKind,
  selection: ExportSelection,
) {
  if (!("ids" in selection)) {
    // "All matching the current filter" is a metadata export of any size; the others work on picked rows.
    if (kind !== "conversation_data") throw new ActionError("Select the conversations to export.");
    return;
  }
  const ids = [...new Set(selection.ids)];
  if (kind === "transcripts" && ids.length > TRANSCRIPT_EXPORT_LIMIT)
    throw new ActionError(TOO_MANY_TRANSCRIPTS);
  const options = await exportOptions(db, viewer, ids);
  if (options.visible < ids.length) throw new ActionError(NOT_AVAILABLE);
  if (kind === "events" && options.tooOldForEvents > 0) throw new ActionError(EVENTS_TOO_OLD);
  if (kind === "latency_report" && options.latencyEligible < ids.length) {
    throw new ActionError(LATENCY_REPORT_UNAVAILABLE);
  }
}

export type StartedExport = { id: string; kind: ConversationExportKind; fileName: string };

/** Records the request and its job in one transaction (both or neither), audited. */
export async function requestExport(
  db: Database,
  boss: PgBoss,
  viewer: UserViewer,
  input: { kind: ConversationExportKind; selection: ExportSelection },
  context: RequestContext = {},
): Promise<StartedExport> {
  if (!(await exportAllowed(db, viewer))) throw new ActionError(EXPORT_RESTRICTED);
  const selection = "ids" in input.selection ? { ids: [...new Set(input.selection.ids)] } : input.selection;
  await checkRequest(db, viewer, input.kind, selection);
  // Stored as sent (URL values), so the worker validates it again with the same strict schema.
  const stored: ExportSelectionInput =
    "ids" in selection ? selection : { filter: listViewQuery(selection.filter) };
  const actor: Actor = { kind: "user", id: viewer.id };
  const jobId = randomUUID(); // recorded on the row: see failExport
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("exports")
      .values({
        requested_by: viewer.id,
        kind: input.kind,
        selection: JSON.stringify(stored),
        job_id: jobId,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    await enqueue(boss, buildExportJob, { exportId: row.id }, { trx, id: jobId });
    await recordAudit(trx, {
      actor,
      action: "export.request",
      target: { type: "export", id: row.id },
      detail: { kind: input.kind, ...("ids" in stored ? { conversations: stored.ids } : stored) },
      context,
    });
    return { id: row.id, kind: input.kind, fileName: exportFileName(input.kind, row.created_at) };
  });
}

/** Runs a failed export again (same row, same file name), audited. Only its requester may. */
export async function retryExport(
  db: Database,
  boss: PgBoss,
  viewer: UserViewer,
  id: string,
  context: RequestContext = {},
): Promise<StartedExport> {
  if (!(await exportAllowed(db, viewer))) throw new ActionError(EXPORT_RESTRICTED);
  const jobId = randomUUID();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("exports")
      .set({ status: "queued", error: null, progress: 0, finished_at: null, job_id: jobId })
      .where("id", "=", id)
      .where("requested_by", "=", viewer.id)
      .where("status", "=", "failed")
      .returning(["id", "kind", "created_at"])
      .executeTakeFirst();
    if (!row) throw new ActionError("Only a failed export of yours can be retried.");
    await enqueue(boss, buildExportJob, { exportId: row.id }, { trx, id: jobId });
    await recordAudit(trx, {
      actor: { kind: "user", id: viewer.id },
      action: "export.retry",
      target: { type: "export", id: row.id },
      context,
    });
    const kind = row.kind as ConversationExportKind;
    return { id: row.id, kind, fileName: exportFileName(kind, row.created_at) };
  });
}

export type ExportSummary = {
  id: string;
  kind: ConversationExportKind;
  status: JobStatus;
  progress: number;
  fileName: string;
  sizeBytes: number | null;
  conversationCount: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function summaryQuery(db: Database, viewer: UserViewer) {
  return db
    .selectFrom("exports")
    .select([
      "id",
      "kind",
      "status",
      "progress",
      "file_name as fileName",
      "size_bytes as sizeBytes",
      "conversation_count as conversationCount",
      "error",
      "created_at as createdAt",
      "finished_at as finishedAt",
    ])
    .where("requested_by", "=", viewer.id);
}

function toSummary(
  row: Awaited<ReturnType<ReturnType<typeof summaryQuery>["executeTakeFirstOrThrow"]>>,
): ExportSummary {
  const kind = row.kind as ConversationExportKind;
  return {
    ...row,
    kind,
    fileName: row.fileName ?? exportFileName(kind, row.createdAt),
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
  };
}

/** The viewer's own exports, newest first (exports_requested_by_idx). */
export async function listExports(db: Database, viewer: UserViewer, limit = 100): Promise<ExportSummary[]> {
  const rows = await summaryQuery(db, viewer)
    .where("kind", "in", ["conversation_data", "transcripts", "events", "chat_transcript", "latency_report"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

/** One of the viewer's exports, or null (someone else's is indistinguishable from none). */
export async function getExport(db: Database, viewer: UserViewer, id: string): Promise<ExportSummary | null> {
  const row = await summaryQuery(db, viewer).where("id", "=", id).executeTakeFirst();
  return row ? toSummary(row) : null;
}

export type ExportDownload = { fileKey: string; fileName: string; sizeBytes: number | null };

/**
 * The file of a finished export, for its requester only, and only while they may still see every
 * conversation in it: roles and participations change after a file is built. A viewer whose scope
 * is "all" sees everything; a "joined" viewer is checked against the export's items (one anti-join).
 */
export async function openExportDownload(
  db: Database,
  viewer: UserViewer,
  id: string,
  context: RequestContext = {},
): Promise<ExportDownload | null> {
  if (!(await exportAllowed(db, viewer))) return null;
  const row = await db
    .selectFrom("exports")
    .select(["file_key", "file_name", "size_bytes"])
    .where("id", "=", id)
    .where("requested_by", "=", viewer.id)
    .where("status", "=", "succeeded")
    .executeTakeFirst();
  if (!row?.file_key || !row.file_name) return null;
  const scope = scopeKind(viewer);
  if (scope === "none") return null;
  if (scope === "joined") {
    const hidden = await db
      .selectFrom("export_items as ei")
      .select("ei.conversation_id")
      .where("ei.export_id", "=", id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("conversations")
              .select("conversations.id")
              .whereRef("conversations.id", "=", "ei.conversation_id")
              .where(conversationScope(viewer)),
          ),
        ),
      )
      .limit(1)
      .executeTakeFirst();
    if (hidden) return null;
  }
  await recordAudit(db, {
    actor: { kind: "user", id: viewer.id },
    action: "export.download",
    target: { type: "export", id },
    detail: { fileName: row.file_name },
    context,
  });
  return {
    fileKey: row.file_key,
    fileName: row.file_name,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
  };
}
