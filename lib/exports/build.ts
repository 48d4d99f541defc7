import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import { ZipFile } from "yazl";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { conversationScope, scopeKind, type UserViewer } from "../auth/scope.ts";
import { type ConversationListItem, listConversations } from "../conversations/list.ts";
import { SMART_STATUS_LABELS, STATUS_LABELS } from "../conversations/status.ts";
import { transcriptEntries, transcriptText } from "../conversations/transcript-text.ts";
import { CSV_BOM, type CsvValue, csvLine } from "../files/csv.ts";
import { notifyUser } from "../live/user-events.ts";
import { parseSearch, searchListOptions } from "../search/index.ts";
import { readSettings } from "../settings/index.ts";
import type { BlobStore } from "../storage/index.ts";
import { getUser } from "../users/queries.ts";
import { EVENT_LABELS, unsafeListEvents } from "./events.ts";
import {
  type ConversationExportKind,
  EXPORT_FAILED,
  type ExportSelection,
  exportFileName,
  exportSelectionSchema,
} from "./kinds.ts";
import { LATENCY_REPORT_HEADER, unsafeLatencyReportRows } from "./latency-report.ts";

// The worker's half of an export: build the file in the blob store with the requester's scope and
// masking as they are now, then mark the row, leave a notice and push the news to their open tabs —
// all three in one commit. pg-boss delivers at least once, so a rebuild starts from a clean folder
// and ends with the same single file under the same name; a delivery after success changes nothing.

/** A refusal that no retry can fix: the export fails at once with this message. */
export class ExportRefused extends Error {
  override name = "ExportRefused";
}

const BATCH = 500;

type Build = {
  db: Database;
  viewer: UserViewer;
  selection: ExportSelection;
  createdAt: Date;
  progress: (done: number, total: number) => Promise<void>;
  /** Records which conversations the file holds (export_items), batch by batch. */
  include: (ids: string[]) => Promise<void>;
};

/** Builds (or rebuilds) the export's file. Throws ExportRefused for a permanent failure. */
export async function buildExportFile(
  db: Database,
  blobs: BlobStore,
  exportId: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const row = await db.selectFrom("exports").selectAll().where("id", "=", exportId).executeTakeFirst();
  if (!row) return; // removed since: nothing to do
  const kind = row.kind as ConversationExportKind;
  const fileName = exportFileName(kind, row.created_at);
  const folder = `exports/${row.id}`;
  const fileKey = `${folder}/${fileName}`;
  if (row.status === "succeeded" && (await blobs.exists(fileKey))) {
    await finish(db, row.requested_by, exportId, fileName); // a redelivery: only the notice, deduplicated
    return;
  }
  const user = await getUser(db, row.requested_by);
  if (!user || user.deactivatedAt)
    throw new ExportRefused("The account that requested this export is no longer active.");
  const viewer: UserViewer = { id: user.id, role: user.role };
  // Validated again, strictly: a field the list schema no longer accepts fails the export rather
  // than being dropped (which would export more than the user saw).
  const parsed = exportSelectionSchema.safeParse(row.selection);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExportRefused(
      `The export's filter is not valid (${issue?.path.join(".") || "selection"}): ${issue?.message}`,
    );
  }
  const selection = parsed.data;

  await db
    .updateTable("exports")
    .set((eb) => ({
      status: "running",
      started_at: new Date(),
      attempts: eb("attempts", "+", 1),
      progress: 0,
      error: null,
    }))
    .where("id", "=", exportId)
    .execute();
  // Whatever a killed attempt left behind (a half-written temporary file) goes first.
  for (const blob of await blobs.list(folder)) await blobs.delete(blob.key);
  await db.deleteFrom("export_items").where("export_id", "=", exportId).execute();

  let reported = 0;
  const included = new Set<string>();
  const build: Build = {
    db,
    viewer,
    selection,
    createdAt: row.created_at,
    progress: async (done, total) => {
      const percent = Math.floor((done / Math.max(total, 1)) * 100);
      if (percent - reported < 10 && percent < 100) return; // a write per 10 %, not per row
      reported = percent;
      await db
        .updateTable("exports")
        .set({ progress: Math.min(percent, 99) })
        .where("id", "=", exportId)
        .execute();
    },
    include: async (ids) => {
      for (const id of ids) included.add(id);
      if (ids.length === 0) return;
      await db
        .insertInto("export_items")
        .values(ids.map((conversation_id) => ({ export_id: exportId, conversation_id })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  };
  const source = BUILDERS[kind](build);
  const size = await blobs.putStream(fileKey, source);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("exports")
      .set({
        status: "succeeded",
        progress: 100,
        file_key: fileKey,
        file_name: fileName,
        size_bytes: size,
        conversation_count: included.size,
        scope: scopeKind(viewer) === "all" ? "all" : "joined",
        finished_at: new Date(),
      })
      .where("id", "=", exportId)
      .execute();
    await finish(trx, row.requested_by, exportId, fileName);
  });
  log(`[exports] ${kind} ${exportId}: ${fileName}, ${size} bytes, ${included.size} conversation(s)`);
}

/** The completion notice (once per export, whatever the deliveries) and the push to open tabs. */
async function finish(db: Kysely<DB>, userId: string, exportId: string, fileName: string) {
  await db
    .insertInto("notifications")
    .values({
      user_id: userId,
      kind: "export.ready",
      title: "Export ready",
      body: fileName,
      link: "/exports",
      data: JSON.stringify({ exportId }),
      dedupe_key: `export-ready:${exportId}`,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .execute();
  await notifyUser(db, userId, { type: "export", id: exportId, status: "succeeded", fileName, error: null });
}

/**
 * Marks the export failed with a message the user can act on, and tells their open tabs: once,
 * while it is still queued or running for `jobId`. The job's last attempt fails it itself when it
 * can, its dead letter (exports.fail-build) when it could not; and after a Retry the export belongs
 * to a new job, which a late failure of the old one must not touch.
 */
export async function failExport(
  db: Database,
  exportId: string,
  jobId: string,
  message: string = EXPORT_FAILED,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("exports")
      .set({ status: "failed", error: message, finished_at: new Date() })
      .where("id", "=", exportId)
      .where("status", "in", ["queued", "running"])
      // Null: requested before exports recorded their job.
      .where((eb) => eb.or([eb("job_id", "=", jobId), eb("job_id", "is", null)]))
      .returning(["requested_by", "kind", "created_at", "attempts"])
      .executeTakeFirst();
    if (!row) return;
    const fileName = exportFileName(row.kind as ConversationExportKind, row.created_at);
    await trx
      .insertInto("notifications")
      .values({
        user_id: row.requested_by,
        kind: "export.failed",
        title: "Export failed",
        body: message,
        link: "/exports",
        data: JSON.stringify({ exportId }),
        dedupe_key: `export-failed:${exportId}:${row.attempts}`,
      })
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .execute();
    await notifyUser(trx, row.requested_by, {
      type: "export",
      id: exportId,
      status: "failed",
      fileName,
      error: message,
    });
  });
}

/** Puts a failed attempt back in line for pg-boss's retry, so the page does not show it as failed meanwhile. */
export async function requeueExport(db: Database, exportId: string): Promise<void> {
  await db
    .updateTable("exports")
    .set({ status: "queued" })
    .where("id", "=", exportId)
    .where("status", "=", "running")
    .execute();
}

// ---- the files -------------------------------------------------------------------------------

/** The picked conversations the requester may still see, in their order; refuses if any is gone. */
async function pickedIds(build: Build): Promise<string[]> {
  if (!("ids" in build.selection)) throw new ExportRefused("Select the conversations to export.");
  const ids = build.selection.ids;
  const visible = await build.db
    .selectFrom("conversations")
    .select("id")
    .where("id", "in", ids)
    .where(conversationScope(build.viewer))
    .execute();
  if (visible.length < new Set(ids).size) {
    throw new ExportRefused("Some of the selected conversations are no longer available to you.");
  }
  return ids;
}

/** Rows of listConversations (scoped, masked): the picked ones, or every one a list URL matches. */
async function* conversationRows(build: Build): AsyncGenerator<ConversationListItem[]> {
  if ("ids" in build.selection) {
    const ids = await pickedIds(build);
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      const page = await listConversations(build.db, build.viewer, {
        conversationIds: chunk,
        limit: chunk.length,
      });
      yield page.items;
      await build.progress(i + chunk.length, ids.length);
    }
    return;
  }
  // Every filter the list knows (and its sort), whatever is added to list-params later.
  const filter = build.selection.filter;
  // A search narrows the export like the list; all its matches in start order (the relevance order
  // ranks only the most recent ones). A phrase with nothing to search for matches nothing.
  const obscure = (await readSettings(build.db)).obscure_customer_info;
  const search = filter.q ? await parseSearch(build.db, filter.q, { viewer: build.viewer, obscure }) : null;
  if (search?.ok === false) return;
  const sort = filter.sort === "relevance" ? "newest" : filter.sort;
  const searching = searchListOptions(search);
  let after: ConversationListItem["cursor"] | undefined;
  do {
    const page = await listConversations(build.db, build.viewer, {
      ...filter,
      ...searching,
      sort,
      limit: BATCH,
      after,
    });
    yield page.items;
    after = page.next ?? undefined;
  } while (after);
}

const CONVERSATION_HEADER = [
  "conversation_id",
  "session_id",
  "customer_name",
  "user_id",
  "phone",
  "email",
  "channel",
  "direction",
  "language",
  "status",
  "smart_status",
  "start_time_utc",
  "end_time_utc",
  "duration_seconds",
  "support_agent",
  "agents",
  "queues",
  "skills",
  "csat",
  "nps",
  "like_dislike",
];

function conversationCells(c: ConversationListItem): CsvValue[] {
  return [
    c.id,
    c.sessionId,
    c.customer.name,
    c.customer.userRef,
    c.customer.phone, // null when "Obscure customer info" is on: masked by listConversations
    c.customer.email,
    c.channel,
    c.direction,
    c.language,
    STATUS_LABELS[c.status],
    c.smartStatus && SMART_STATUS_LABELS[c.smartStatus], // the product's wording, as the list shows it
    c.startedAt,
    c.endedAt,
    c.endedAt ? Math.round((c.endedAt.getTime() - c.startedAt.getTime()) / 1000) : null,
    c.supportAgent,
    c.agents.map((a) => a.name).join("; "),
    c.queues.join("; "),
    c.skills.join("; "),
    c.csatScore,
    c.npsScore,
    c.liked === null ? null : c.liked ? "like" : "dislike",
  ];
}

async function* conversationDataCsv(build: Build): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(CONVERSATION_HEADER);
  for await (const items of conversationRows(build)) {
    await build.include(items.map((c) => c.id));
    yield items.map((c) => csvLine(conversationCells(c))).join("");
  }
}

async function* chatTranscriptCsv(build: Build): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(["conversation_id", "time_utc", "speaker", "speaker_name", "stage", "message"]);
  const ids = await pickedIds(build);
  for (const [i, id] of ids.entries()) {
    const entries = (await transcriptEntries(build.db, build.viewer, id)) ?? [];
    await build.include([id]);
    yield entries
      .map((e) =>
        e.type === "pause"
          ? csvLine([id, e.at, "system", null, e.label, `until ${e.endedAt.toISOString()}`])
          : csvLine([id, e.at, e.speaker, e.speakerName, e.label, e.body]),
      )
      .join("");
    await build.progress(i + 1, ids.length);
  }
}

async function* eventsCsv(build: Build): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(["conversation_id", "event", "time_utc", "agent", "queue"]);
  const ids = await pickedIds(build);
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const events = await unsafeListEvents(build.db, chunk); // scope checked by pickedIds
    await build.include(chunk);
    yield events
      .map((e) => csvLine([e.conversationId, EVENT_LABELS[e.type], e.at, e.agent, e.queue]))
      .join("");
    await build.progress(i + chunk.length, ids.length);
  }
}

async function* latencyReportCsv(build: Build): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(LATENCY_REPORT_HEADER);
  const ids = await pickedIds(build);
  for (const [i, id] of ids.entries()) {
    const rows = await unsafeLatencyReportRows(build.db, id); // scope checked by pickedIds
    await build.include([id]);
    yield rows.map((cells) => csvLine(cells)).join("");
    await build.progress(i + 1, ids.length);
  }
}

/**
 * One text file per conversation, named by its id only (nothing from the data reaches a path),
 * blank when it has no transcript. Entries carry the request time, so a rebuild is byte-identical.
 */
function transcriptsZip(build: Build): Readable {
  const zip = new ZipFile();
  const fill = async () => {
    const ids = await pickedIds(build);
    for (const [i, id] of ids.entries()) {
      const text = (await transcriptText(build.db, build.viewer, id)) ?? "";
      zip.addBuffer(Buffer.from(text, "utf8"), `${id}.txt`, { mtime: build.createdAt });
      await build.include([id]);
      await build.progress(i + 1, ids.length);
    }
    zip.end();
  };
  const out = zip.outputStream as Readable;
  fill().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

const BUILDERS: Record<ConversationExportKind, (build: Build) => Readable | AsyncIterable<string>> = {
  conversation_data: conversationDataCsv,
  transcripts: transcriptsZip,
  events: eventsCsv,
  chat_transcript: chatTranscriptCsv,
  latency_report: latencyReportCsv,
};
