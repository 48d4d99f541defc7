import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ActionError } from "../../lib/action-error.ts";
import type { UserViewer } from "../../lib/auth/scope.ts";
import { buildExportFile } from "../../lib/exports/build.ts";
import {
  type ConversationExportKind,
  EVENTS_TOO_OLD,
  EXPORT_RESTRICTED,
  type ExportSelection,
  exportSelectionSchema,
  LATENCY_REPORT_UNAVAILABLE,
  TOO_MANY_TRANSCRIPTS,
} from "../../lib/exports/kinds.ts";
import { NOT_AVAILABLE, openExportDownload, requestExport, retryExport } from "../../lib/exports/requests.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { listViewQuery, parseListParams } from "../../lib/list-params.ts";
import { refreshSearchDocuments } from "../../lib/search/index.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { buildExportHandler } from "../../worker/handlers/build-export.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import {
  exportFile as exportFileAs,
  insertConversation,
  insertUser,
  readCsv,
  readZip,
} from "../helpers/exports.ts";

// Each export kind built by the worker's code and read back with independent parsers (csv-parse,
// yauzl): names, contents, blank transcripts, masking, formula-injection safety, scope, re-runs.

const PHONE = "+14155550199";
const EMAIL = "erin.export@example.test";
let t: TestDatabase;
let boss: PgBoss;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
let admin: UserViewer;
let agent: UserViewer;
const ids = { voice: "", chat: "", other: "", old: "" };

beforeAll(async () => {
  t = await createTestDatabase();
  boss = await startBoss(createBoss(t.url));
  store = tempBlobStore("exports");
  blobs = store.blobs;
  admin = { id: await insertUser(t.db, "Ada Admin", "admin"), role: "admin" };
  agent = { id: await insertUser(t.db, "Alex Agent", "agent"), role: "agent" };
  const customer = await t.db
    .insertInto("customers")
    .values({ user_ref: "usr_erin", name: '=HYPERLINK("http://evil")', phone: PHONE, email: EMAIL })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids.voice = await insertConversation(t.db, {
    customerId: customer.id,
    agentId: agent.id,
    messages: [
      { speaker: "ai_agent", body: "Hello, how can I help?" },
      { speaker: "customer", body: `Call me on ${PHONE}, "thanks", ok` },
      { speaker: "customer", body: "=1+1" },
    ],
  });
  ids.chat = await insertConversation(t.db, { customerId: customer.id, channel: "chat", agentId: agent.id });
  ids.other = await insertConversation(t.db, { channel: "chat" });
  ids.old = await insertConversation(t.db, {
    startedAt: new Date(Date.now() - 31 * 86_400_000),
    agentId: agent.id,
  });
  await t.db
    .insertInto("call_control_parameters")
    .values(
      Object.entries({ notifySttLatency: "true", vadEnable: "true", vadVendor: "silero" }).map(
        ([name, value]) => ({
          conversation_id: ids.voice,
          name,
          value,
        }),
      ),
    )
    .execute();
  const base = Date.parse("2026-11-20T10:00:05Z");
  const ms = (offset: number) => new Date(base + offset);
  // Turn 2's ASR finished "before" the user stopped speaking: clock skew, reported as negative.
  await t.db
    .insertInto("latency_turns")
    .values(
      [
        [0, 450, 450, 1300, 1300, 1700, 1750],
        [0, -20, 0, 800, 800, 1000, 1100],
        [0, 300, 300, 900, 900, 1500, 1600],
      ].map(([stop, asr, sent, bot, tts, ttfb, heard], turn) => ({
        conversation_id: ids.voice,
        turn_index: turn + 1,
        user_stopped_speaking_at: ms(stop as number),
        asr_transcript_at: ms(asr as number),
        transcript_sent_at: ms(sent as number),
        bot_response_at: ms(bot as number),
        tts_request_at: ms(tts as number),
        tts_first_byte_at: ms(ttfb as number),
        first_audio_heard_at: ms(heard as number),
      })),
    )
    .execute();
  const startedAt = new Date(Date.now() - 3_600_000);
  await t.db
    .insertInto("conversation_events")
    .values([
      {
        conversation_id: ids.voice,
        type: "routing_initiation",
        occurred_at: new Date(startedAt.getTime() + 1000),
      },
      {
        conversation_id: ids.voice,
        type: "agent_join",
        occurred_at: new Date(startedAt.getTime() + 2000),
        user_id: agent.id,
      },
      {
        conversation_id: ids.voice,
        type: "after_call_work",
        occurred_at: new Date(startedAt.getTime() + 3000),
      },
      {
        conversation_id: ids.voice,
        type: "conversation_closure",
        occurred_at: new Date(startedAt.getTime() + 4000),
      },
    ])
    .execute();
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.drop();
  store?.remove();
});

const exportFile = (viewer: UserViewer, kind: ConversationExportKind, selection: ExportSelection) =>
  exportFileAs({ db: t.db, boss, blobs }, viewer, kind, selection);

test("transcripts: a zip named transcripts-YYYY-MM-DD-HH24-mm-SS.zip, one <id>.txt each, blank without a transcript", async () => {
  const { fileName, file } = await exportFile(admin, "transcripts", { ids: [ids.voice, ids.chat] });
  expect(fileName).toMatch(/^transcripts-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.zip$/);
  const entries = await readZip(file);
  expect([...entries.keys()]).toEqual([`${ids.voice}.txt`, `${ids.chat}.txt`]);
  expect(entries.get(`${ids.chat}.txt`)).toBe("");
  expect(entries.get(`${ids.voice}.txt`)).toContain("Hello, how can I help?");
});

test("transcripts: 26 conversations are refused with the spec's message", async () => {
  const many = Array.from({ length: 26 }, () => crypto.randomUUID());
  await expect(
    requestExport(t.db, boss, admin, { kind: "transcripts", selection: { ids: many } }),
  ).rejects.toThrow(TOO_MANY_TRANSCRIPTS);
  expect(
    await t.db.selectFrom("exports").select("id").where("kind", "=", "transcripts").execute(),
  ).toHaveLength(1);
});

test("conversation data: a phone number is written as it is, the SmartStatus in the product's words", async () => {
  await t.db
    .updateTable("conversations")
    .set({ smart_status: "inactive" })
    .where("id", "=", ids.voice)
    .execute();
  try {
    const { file } = await exportFile(admin, "conversation_data", { ids: [ids.voice] });
    const [header, row] = readCsv(file);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    expect(row?.[col("phone")]).toBe(PHONE); // not '+…: a phone number is no formula
    expect(row?.[col("smart_status")]).toBe("Inactive");
    expect(row?.[col("customer_name")]).toBe('\'=HYPERLINK("http://evil")'); // a formula still is
  } finally {
    await t.db.updateTable("conversations").set({ smart_status: null }).where("id", "=", ids.voice).execute();
  }
});

describe("masked", () => {
  beforeAll(async () => {
    await updateSettings(t.db, { kind: "user", id: admin.id }, { obscure_customer_info: true });
  });
  afterAll(async () => {
    await updateSettings(t.db, { kind: "user", id: admin.id }, { obscure_customer_info: false });
  });

  test("conversation data: phone and e-mail never leave unmasked; formula cells defused", async () => {
    const { file } = await exportFile(admin, "conversation_data", { ids: [ids.voice, ids.chat] });
    expect(file.toString("utf8")).not.toContain(PHONE);
    expect(file.toString("utf8")).not.toContain(EMAIL);
    const [header, ...rows] = readCsv(file);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows).toHaveLength(2);
    const voice = rows.find((r) => r[0] === ids.voice);
    expect(voice?.[col("customer_name")]).toBe('\'=HYPERLINK("http://evil")');
    expect(voice?.[col("user_id")]).toBe("usr_erin");
    expect(voice?.[col("phone")]).toBe("");
    expect(voice?.[col("duration_seconds")]).toBe("125");
    expect(voice?.[col("status")]).toBe("Completed (User Hangup)");
  });

  test("transcripts and chat transcript CSV: the customer's phone is redacted in every file", async () => {
    const zip = await exportFile(admin, "transcripts", { ids: [ids.voice] });
    expect((await readZip(zip.file)).get(`${ids.voice}.txt`)).not.toContain(PHONE);
    const { file, fileName } = await exportFile(admin, "chat_transcript", { ids: [ids.voice] });
    expect(fileName).toMatch(/^chat-transcript-.*\.csv$/);
    expect(file.toString("utf8")).not.toContain(PHONE);
    const [header, ...rows] = readCsv(file);
    expect(header).toEqual(["conversation_id", "time_utc", "speaker", "speaker_name", "stage", "message"]);
    expect(rows.map((r) => r[5])).toEqual([
      "Hello, how can I help?",
      expect.stringMatching(/^Call me on \[redacted phone\], "thanks", ok$/),
      "'=1+1",
    ]);
  });
});

test("conversation data for everything matching a filter, in the requester's scope", async () => {
  const all = await exportFile(admin, "conversation_data", { filter: { channel: ["chat"] } });
  expect(
    readCsv(all.file)
      .slice(1)
      .map((r) => r[0])
      .sort(),
  ).toEqual([ids.chat, ids.other].sort());
  const own = await exportFile(agent, "conversation_data", { filter: {} });
  expect(
    readCsv(own.file)
      .slice(1)
      .map((r) => r[0])
      .sort(),
  ).toEqual([ids.voice, ids.chat, ids.old].sort());
  const row = await t.db
    .selectFrom("exports")
    .select(["conversation_count", "scope"])
    .where("id", "=", own.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ conversation_count: 3, scope: "joined" });
});

test("the view crosses the action boundary strictly, and the worker refuses a stored filter it cannot read rather than widening it", async () => {
  // The action's input schema: an unknown or invalid field is an error naming it, never dropped.
  const unknown = exportSelectionSchema.safeParse({ filter: { channel: "chat", colour: "red" } });
  expect(unknown.error?.issues[0]).toMatchObject({
    code: "unrecognized_keys",
    path: ["filter"],
    keys: ["colour"],
  });
  const invalid = exportSelectionSchema.safeParse({ filter: { channel: "chat", status: "bogus" } });
  expect(invalid.error?.issues[0]?.path).toEqual(["filter", "status", 0]);
  expect(exportSelectionSchema.safeParse({ ids: [ids.chat], filter: {} }).success).toBe(false);
  // What the page sends is what the list shows; it is stored as sent and read back the same way.
  const view = listViewQuery(
    parseListParams({ channel: "chat", status: "completed", q: "help", after: "x" }),
  );
  expect(view).toEqual({ channel: "chat", status: "completed", q: "help" });
  const started = await requestExport(t.db, boss, admin, {
    kind: "conversation_data",
    selection: exportSelectionSchema.parse({ filter: view }),
  });
  const stored = await t.db
    .selectFrom("exports")
    .select("selection")
    .where("id", "=", started.id)
    .executeTakeFirstOrThrow();
  expect(stored.selection).toEqual({ filter: view });
  // A row whose filter no longer validates (written by an older version, or by hand) fails with a
  // reason; a lenient re-parse would have dropped `status` and exported every chat.
  const [row] = await t.db
    .insertInto("exports")
    .values({
      requested_by: admin.id,
      kind: "conversation_data",
      selection: JSON.stringify({ filter: { channel: "chat", status: "bogus" } }),
    })
    .returning("id")
    .execute();
  await expect(buildExportFile(t.db, blobs, row?.id as string)).rejects.toThrow(
    /The export's filter is not valid \(filter\.status\.0\)/,
  );
  expect(await blobs.list(`exports/${row?.id}`)).toEqual([]);
});

test("a search in the list's URL narrows the export to its matches (all of them, not only the ranked ones)", async () => {
  // This file's conversations are written directly, not through ingest: build their documents.
  const all = await t.db.selectFrom("conversations").select("id").execute();
  await refreshSearchDocuments(
    t.db,
    all.map((c) => c.id),
  );
  const matching = await t.db
    .selectFrom("conversation_search")
    .select("conversation_id")
    .where(sql<boolean>`document @@ 'help'::tsquery`)
    .execute();
  const expected = matching.map((r) => r.conversation_id).sort();
  expect(expected.length).toBeGreaterThan(0);
  const searched = await exportFile(admin, "conversation_data", { filter: { q: "help" } });
  const exported = readCsv(searched.file)
    .slice(1)
    .map((r) => r[0])
    .sort();
  expect(exported).toEqual(expected);
  const everything = await exportFile(admin, "conversation_data", { filter: {} });
  expect(readCsv(everything.file).length - 1).toBeGreaterThan(exported.length);
});

test("events: the spec's labels with their timestamps; refused for conversations older than 30 days", async () => {
  const { file, fileName } = await exportFile(agent, "events", { ids: [ids.voice] });
  expect(fileName).toMatch(/^events-.*\.csv$/);
  const [header, ...rows] = readCsv(file);
  expect(header).toEqual(["conversation_id", "event", "time_utc", "agent", "queue"]);
  expect(rows.map((r) => r[1])).toEqual([
    "Routing Initiation",
    "Agent Join",
    "After-Call Work (ACW)",
    "Conversation Closure",
  ]);
  expect(rows[1]?.[3]).toBe("Alex Agent");
  expect(rows.every((r) => !Number.isNaN(Date.parse(r[2] ?? "")))).toBe(true);
  await expect(
    requestExport(t.db, boss, agent, { kind: "events", selection: { ids: [ids.old] } }),
  ).rejects.toThrow(EVENTS_TOO_OLD);
});

test("latency report: per turn in ms with the sign kept, then p50 and p90; refused without the parameters", async () => {
  const { file, fileName } = await exportFile(admin, "latency_report", { ids: [ids.voice] });
  expect(fileName).toMatch(/^latency-report-.*\.csv$/);
  const [header, ...rows] = readCsv(file);
  expect(header).toEqual([
    "conversation_id",
    "turn",
    "asr_latency_ms",
    "bot_latency_ms",
    "tts_latency_ms",
    "end_to_end_latency_ms",
  ]);
  expect(rows.map((r) => r.slice(1))).toEqual([
    ["1", "450", "850", "400", "1750"],
    ["2", "-20", "800", "200", "1100"],
    ["3", "300", "600", "600", "1600"],
    ["p50", "300", "800", "400", "1600"],
    ["p90", "420", "840", "560", "1720"], // interpolated between the two highest turns
  ]);
  await expect(
    requestExport(t.db, boss, admin, { kind: "latency_report", selection: { ids: [ids.voice, ids.chat] } }),
  ).rejects.toThrow(LATENCY_REPORT_UNAVAILABLE);
});

test("an agent cannot export a conversation they did not join", async () => {
  const attempt = requestExport(t.db, boss, agent, {
    kind: "conversation_data",
    selection: { ids: [ids.other] },
  });
  await expect(attempt).rejects.toThrow(ActionError);
  await expect(attempt).rejects.toThrow(NOT_AVAILABLE);
});

test("a re-run (at-least-once delivery) leaves the same single file and one completion notice", async () => {
  const { id, download, file } = await exportFile(admin, "transcripts", { ids: [ids.voice, ids.chat] });
  // As if the worker died after writing: the row is back to running and a stale temporary file lies around.
  await t.db.updateTable("exports").set({ status: "running" }).where("id", "=", id).execute();
  await blobs.put(`exports/${id}/${download.fileName}.tmp-1-x`, "half");
  await buildExportFile(t.db, blobs, id);
  await buildExportFile(t.db, blobs, id); // a duplicate delivery after success
  expect((await blobs.list(`exports/${id}`)).map((b) => b.key)).toEqual([download.fileKey]);
  expect((await blobs.get(download.fileKey)).equals(file)).toBe(true);
  const notices = await t.db
    .selectFrom("notifications")
    .select("kind")
    .where("dedupe_key", "=", `export-ready:${id}`)
    .execute();
  expect(notices).toEqual([{ kind: "export.ready" }]);
});

test("a file is served only to its requester, while they may still see every conversation in it", async () => {
  const { id } = await exportFile(agent, "conversation_data", { ids: [ids.voice, ids.chat] });
  expect(await openExportDownload(t.db, admin, id)).toBeNull(); // someone else's export
  await t.db.deleteFrom("conversation_participants").where("conversation_id", "=", ids.chat).execute();
  expect(await openExportDownload(t.db, agent, id)).toBeNull();
  await t.db
    .insertInto("conversation_participants")
    .values({ conversation_id: ids.chat, user_id: agent.id, role: "agent", joined_at: new Date() })
    .execute();
  expect(await openExportDownload(t.db, agent, id)).not.toBeNull();
  const audit = await t.db.selectFrom("audit_log").select("action").where("target_id", "=", id).execute();
  // One download by exportFile above, one here; the refused attempts leave no download row.
  expect(audit.map((a) => a.action)).toEqual(["export.request", "export.download", "export.download"]);
});

test("the handler fails an export the requester may no longer make, with its reason; Retry runs it again", async () => {
  const started = await requestExport(t.db, boss, agent, {
    kind: "conversation_data",
    selection: { ids: [ids.chat] },
  });
  await t.db.deleteFrom("conversation_participants").where("conversation_id", "=", ids.chat).execute();
  const { job_id: jobId } = await t.db
    .selectFrom("exports")
    .select("job_id")
    .where("id", "=", started.id)
    .executeTakeFirstOrThrow();
  const handler = buildExportHandler({ db: t.db, blobs, log: () => {} });
  const [result] = await handler([
    { id: jobId, name: "exports.build-file", data: { exportId: started.id }, retryCount: 0 } as never,
  ]);
  expect(result?.status).toBe("completed");
  const failed = await t.db
    .selectFrom("exports")
    .select(["status", "error"])
    .where("id", "=", started.id)
    .executeTakeFirstOrThrow();
  expect(failed).toEqual({
    status: "failed",
    error: "Some of the selected conversations are no longer available to you.",
  });

  await t.db
    .insertInto("conversation_participants")
    .values({ conversation_id: ids.chat, user_id: agent.id, role: "agent", joined_at: new Date() })
    .execute();
  await retryExport(t.db, boss, agent, started.id);
  await buildExportFile(t.db, blobs, started.id);
  const done = await t.db
    .selectFrom("exports")
    .select(["status", "error"])
    .where("id", "=", started.id)
    .executeTakeFirstOrThrow();
  expect(done).toEqual({ status: "succeeded", error: null });
  await expect(retryExport(t.db, boss, agent, started.id)).rejects.toThrow(ActionError); // only failed ones
});

test("an admin can withhold exports from agents: the server refuses requests and downloads, supervisors keep theirs", async () => {
  const { id } = await exportFile(agent, "conversation_data", { ids: [ids.voice] });
  const supervisor: UserViewer = {
    id: await insertUser(t.db, "Sam Supervisor", "supervisor"),
    role: "supervisor",
  };
  await updateSettings(t.db, { kind: "user", id: admin.id }, { agent_exports_enabled: false });
  try {
    await expect(
      requestExport(t.db, boss, agent, { kind: "conversation_data", selection: { ids: [ids.voice] } }),
    ).rejects.toThrow(EXPORT_RESTRICTED);
    expect(await openExportDownload(t.db, agent, id)).toBeNull();
    await exportFile(supervisor, "conversation_data", { ids: [ids.voice] });
  } finally {
    await updateSettings(t.db, { kind: "user", id: admin.id }, { agent_exports_enabled: true });
  }
  expect(await openExportDownload(t.db, agent, id)).not.toBeNull();
});
