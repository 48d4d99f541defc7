import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { buildRecordingArtifactJob } from "../../lib/jobs/definitions.ts";
import { createAudioRenderer } from "../../lib/platform/speech.ts";
import { artifactStatuses, ensureArtifactRow, requestArtifacts } from "../../lib/recordings/artifacts.ts";
import { FfmpegWasm } from "../../lib/recordings/ffmpeg.ts";
import { type Peaks, sourceHash } from "../../lib/recordings/media.ts";
import { buildArtifact, computePeaks, prepareRecordingMedia } from "../../lib/recordings/process.ts";
import { getArtifact, getRecordingForViewer } from "../../lib/recordings/queries.ts";
import { applyRetention, DAY_MS } from "../../lib/recordings/retention.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { blobToFile, type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The worker's merge, checked with decoders that are not ours: Debian's `flac -t` (stream
// integrity, MD5 of the decoded audio) and `ffprobe` (channels, rate, exact sample count), and each
// channel compared sample by sample with native ffmpeg's decoding of the leg it came from.

let t: TestDatabase;
let store: TempBlobStore;
let blobs: BlobStore;
let boss: PgBoss;
const ffmpeg = new FfmpegWasm();
const quiet = () => {};
const ctx = () => ({ db: t.db, blobs, ffmpeg, log: quiet });

beforeAll(async () => {
  t = await createTestDatabase();
  store = tempBlobStore("recmedia");
  blobs = store.blobs;
  boss = await startBoss(createBoss(t.url, { application: "parley-test-recmedia" }));
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await ffmpeg.close();
  await t?.drop();
  store?.remove();
});

const render = createAudioRenderer(7);
const CUSTOMER_MS = 7300;
const AGENT_MS = 6100;

/** A voice conversation whose recording has two µ-law legs of different lengths (as seeded). */
async function recordingWithLegs() {
  const conversation = await t.db
    .insertInto("conversations")
    .values({
      session_id: `rec-${randomUUID()}`,
      direction: "inbound",
      language: "en-US",
      channel: "voice",
      started_at: new Date("2026-11-25T13:47:19Z"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const recording = await t.db
    .insertInto("recordings")
    .values({ conversation_id: conversation.id, state: "available" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const legs = [
    { index: 1, label: "agent", ms: AGENT_MS, voice: "a:1", start: 2000 },
    { index: 0, label: "customer", ms: CUSTOMER_MS, voice: "c:1", start: 300 },
  ];
  const files: Record<string, Buffer> = {};
  for (const leg of legs) {
    const file = render(
      leg.ms,
      [{ startMs: leg.start, endMs: leg.start + 2500, voice: leg.voice }],
      [],
      leg.index + 11,
    );
    const key = `recordings/${conversation.id}/leg-${leg.index}.wav`;
    await blobs.put(key, file);
    files[leg.label] = file;
    await t.db
      .insertInto("recording_legs")
      .values({
        recording_id: recording.id,
        leg_index: leg.index,
        label: leg.label,
        storage_key: key,
        format: "wav",
        sha256: createHash("sha256").update(file).digest("hex"),
      })
      .execute();
  }
  const stored = await t.db
    .selectFrom("recording_legs")
    .select(["leg_index as legIndex", "label", "sha256", "format"])
    .where("recording_id", "=", recording.id)
    .execute();
  return { recordingId: recording.id, conversationId: conversation.id, files, hash: sourceHash(stored) };
}

const probe = (file: string) =>
  JSON.parse(
    execFileSync("ffprobe", [
      "-v",
      "error",
      "-show_entries",
      "stream=codec_name,channels,sample_rate,sample_fmt,duration_ts",
      "-of",
      "json",
      file,
    ]).toString(),
  ).streams[0];

/** Native ffmpeg's 16-bit decoding of a file (all channels interleaved). */
const pcm = (file: string | Buffer, channels: number) =>
  new Int16Array(
    new Uint8Array(
      execFileSync(
        "ffmpeg",
        [
          "-v",
          "error",
          "-i",
          typeof file === "string" ? file : "pipe:0",
          "-ac",
          `${channels}`,
          "-f",
          "s16le",
          "pipe:1",
        ],
        { input: typeof file === "string" ? undefined : file, maxBuffer: 64 * 1024 * 1024 },
      ),
    ).buffer,
  );

const bytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("recording media in the worker", () => {
  test("merges two legs into one FLAC: a channel per leg, 16-bit, the longest leg's exact length", async () => {
    const { recordingId, files } = await recordingWithLegs();
    await prepareRecordingMedia(ctx(), recordingId);

    const artifact = await t.db
      .selectFrom("recording_artifacts")
      .selectAll()
      .where("recording_id", "=", recordingId)
      .executeTakeFirstOrThrow();
    expect(artifact).toMatchObject({ variant: "merged", status: "succeeded", progress: 1 });
    const file = await blobToFile(store, artifact.storage_key as string);

    execFileSync("flac", ["-t", "-s", file]); // throws on any stream or MD5 error
    expect(probe(file)).toEqual({
      codec_name: "flac",
      channels: 2,
      sample_rate: "8000",
      sample_fmt: "s16",
      duration_ts: (CUSTOMER_MS * 8000) / 1000,
    });

    // Channel 0 is the customer, channel 1 the agent padded with silence to the customer's length.
    const merged = pcm(file, 2);
    const customer = pcm(files.customer as Buffer, 1);
    const agent = pcm(files.agent as Buffer, 1);
    expect(merged.length).toBe(2 * customer.length);
    const left = merged.filter((_, i) => i % 2 === 0);
    const right = merged.filter((_, i) => i % 2 === 1);
    expect(bytes(left).equals(bytes(customer))).toBe(true);
    expect(bytes(right.subarray(0, agent.length)).equals(bytes(agent))).toBe(true);
    expect(right.subarray(agent.length).every((s) => s === 0)).toBe(true);

    // Peaks: one per 100 ms per leg, loud only where the leg speaks.
    const recording = await t.db
      .selectFrom("recordings")
      .select(["peaks_key", "duration_ms"])
      .where("id", "=", recordingId)
      .executeTakeFirstOrThrow();
    expect(recording.duration_ms).toBe(CUSTOMER_MS);
    const peaks = JSON.parse((await blobs.get(recording.peaks_key as string)).toString()) as Peaks;
    expect(peaks.durationMs).toBe(CUSTOMER_MS);
    const byLabel = Object.fromEntries(peaks.legs.map((l) => [l.label, l]));
    expect(byLabel.customer?.peaks).toHaveLength(73);
    expect(byLabel.agent?.peaks).toHaveLength(61);
    expect(Math.max(...(byLabel.customer?.peaks.slice(5, 25) ?? []))).toBeGreaterThan(10);
    expect(Math.max(...(byLabel.customer?.peaks.slice(30) ?? []))).toBeLessThan(3);
  });

  test("is idempotent: a second run reuses the artifact and its file", async () => {
    const { recordingId } = await recordingWithLegs();
    await prepareRecordingMedia(ctx(), recordingId);
    const first = await t.db
      .selectFrom("recording_artifacts")
      .selectAll()
      .where("recording_id", "=", recordingId)
      .executeTakeFirstOrThrow();
    await prepareRecordingMedia(ctx(), recordingId);
    const rows = await t.db
      .selectFrom("recording_artifacts")
      .selectAll()
      .where("recording_id", "=", recordingId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.finished_at).toEqual(first.finished_at);
  });

  test("builds one leg as a mono FLAC of that leg's length", async () => {
    const { recordingId, hash } = await recordingWithLegs();
    const { row } = await ensureArtifactRow(t.db, recordingId, "leg-1", hash);
    await buildArtifact(ctx(), row.id);
    const built = await t.db
      .selectFrom("recording_artifacts")
      .selectAll()
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(built.status).toBe("succeeded");
    const file = await blobToFile(store, built.storage_key as string);
    execFileSync("flac", ["-t", "-s", file]);
    expect(probe(file)).toMatchObject({
      channels: 1,
      sample_rate: "8000",
      duration_ts: (AGENT_MS * 8000) / 1000,
    });
  });
});

/** An engine that holds each command until `release`: a job caught mid-encode, once `started`. */
function heldEngine() {
  let release = () => {};
  let reached = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const started = new Promise<void>((r) => {
    reached = r;
  });
  const run = async (cmd: Parameters<FfmpegWasm["run"]>[0]) => {
    reached();
    await gate;
    return ffmpeg.run(cmd);
  };
  return { engine: { run } as unknown as FfmpegWasm, release, started };
}

const artifactRow = (id: string) =>
  t.db.selectFrom("recording_artifacts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("retention deleting the recording while a media job runs", () => {
  /** Retention's own pass deletes it: due (1-day period, 30 days on) and warned 8 days before. */
  async function deleteByRetention(recordingId: string) {
    const { rows } = await sql<{ now: Date }>`select now() + interval '30 days' as now`.execute(t.db);
    const now = rows[0]?.now as Date;
    await t.db
      .updateTable("recordings")
      .set({ deletion_warning_sent_at: new Date(now.getTime() - 8 * DAY_MS) })
      .where("id", "=", recordingId)
      .execute();
    const settings = {
      recording_retention_days: 1,
      recording_deletion_emails: { enabled: false, recipients: [] },
    };
    await applyRetention(t.db, blobs, settings, now);
    const rec = await t.db
      .selectFrom("recordings")
      .select("deleted_at")
      .where("id", "=", recordingId)
      .executeTakeFirstOrThrow();
    expect(rec.deleted_at).not.toBeNull();
  }

  test("a file encoded meanwhile is removed, not left behind", async () => {
    const { recordingId, conversationId, hash } = await recordingWithLegs();
    const { row } = await ensureArtifactRow(t.db, recordingId, "leg-1", hash);
    const { engine, release, started } = heldEngine();
    const build = buildArtifact({ ...ctx(), ffmpeg: engine }, row.id);
    await started;
    await deleteByRetention(recordingId);
    release();
    await build;
    expect(await blobs.list(`recordings/${conversationId}`)).toEqual([]);
  });

  test("peaks computed meanwhile are removed, and not recorded on the deleted row", async () => {
    const { recordingId, conversationId } = await recordingWithLegs();
    const { engine, release, started } = heldEngine();
    const peaks = computePeaks({ ...ctx(), ffmpeg: engine }, recordingId);
    await started;
    await deleteByRetention(recordingId);
    release();
    expect(await peaks).toBeNull();
    expect(await blobs.list(`recordings/${conversationId}`)).toEqual([]);
    const rec = await t.db
      .selectFrom("recordings")
      .select("peaks_key")
      .where("id", "=", recordingId)
      .executeTakeFirstOrThrow();
    expect(rec.peaks_key).toBeNull();
  });
});

describe("one build per file, and none lost with its worker", () => {
  const admin = { id: randomUUID(), role: "admin" as const };

  test("two requests for the same file: pg-boss hands out one build at a time", async () => {
    const { conversationId } = await recordingWithLegs();
    const recording = await getRecordingForViewer(t.db, admin, conversationId);
    if (!recording) throw new Error("no recording");
    await requestArtifacts(t.db, boss, recording, ["leg-0"]);
    const [file] = await requestArtifacts(t.db, boss, recording, ["leg-0"]);
    expect(file?.status).toBe("queued");
    const row = await getArtifact(t.db, recording, "leg-0");
    expect(await boss.findJobs(buildRecordingArtifactJob.name, { key: row?.id })).toHaveLength(2);
    const fetched = await boss.fetch(buildRecordingArtifactJob.name, { batchSize: 2 });
    expect(fetched).toHaveLength(1);
    await boss.deleteQueuedJobs(buildRecordingArtifactJob.name);
  });

  test("a second build of a file being built does nothing, so cannot fail it", async () => {
    const { recordingId, hash } = await recordingWithLegs();
    const { row } = await ensureArtifactRow(t.db, recordingId, "leg-1", hash);
    // The first build waits inside the engine until the second has had its go.
    const { engine, release, started } = heldEngine();
    const broken = {
      run: async () => {
        throw new Error("engine crashed");
      },
    };
    const first = buildArtifact({ ...ctx(), ffmpeg: engine }, row.id);
    await started;
    const lines: string[] = [];
    await buildArtifact(
      { ...ctx(), ffmpeg: broken as unknown as FfmpegWasm, log: (l) => lines.push(l) },
      row.id,
    );
    expect(lines).toEqual([`[recordings] leg-1 ${row.id}: another build holds it`]);
    expect(await artifactRow(row.id)).toMatchObject({ status: "running", error: null });
    release();
    await first;
    expect(await artifactRow(row.id)).toMatchObject({ status: "succeeded", progress: 1 });
  });

  test("a build whose worker died is queued again by the menu's poll and taken over; a live one is left alone", async () => {
    const { recordingId, conversationId } = await recordingWithLegs();
    const recording = await getRecordingForViewer(t.db, admin, conversationId);
    if (!recording?.hash) throw new Error("no recording");
    const dead = (await ensureArtifactRow(t.db, recordingId, "leg-0", recording.hash)).row;
    const live = (await ensureArtifactRow(t.db, recordingId, "leg-1", recording.hash)).row;
    // Killed on its last retry: "running", its lease run out, no job left.
    const running = (id: string, lease: string) =>
      t.db
        .updateTable("recording_artifacts")
        .set({
          status: "running",
          progress: 0.4,
          build_id: randomUUID(),
          lease_until: sql`now() + ${lease}::interval`,
        })
        .where("id", "=", id)
        .execute();
    await running(dead.id, "-1 second");
    await running(live.id, "1 minute");
    expect((await getArtifact(t.db, recording, "leg-0"))?.lapsed).toBe(true);
    expect((await getArtifact(t.db, recording, "leg-1"))?.lapsed).toBe(false);

    const polled = await artifactStatuses(t.db, boss, recording, ["leg-0", "leg-1"]);
    expect(Object.fromEntries(polled.map((f) => [f.variant, f.status]))).toEqual({
      "leg-0": "queued",
      "leg-1": "running",
    });
    expect(await boss.findJobs(buildRecordingArtifactJob.name, { key: dead.id })).toHaveLength(1);
    expect(await boss.findJobs(buildRecordingArtifactJob.name, { key: live.id })).toHaveLength(0);

    await buildArtifact(ctx(), dead.id);
    await buildArtifact(ctx(), live.id);
    expect(await artifactRow(dead.id)).toMatchObject({ status: "succeeded" });
    expect(await artifactRow(live.id)).toMatchObject({ status: "running", progress: 0.4 });
    await boss.deleteQueuedJobs(buildRecordingArtifactJob.name);
  });
});
