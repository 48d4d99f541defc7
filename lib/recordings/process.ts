import { randomUUID } from "node:crypto";
import { sql, type Transaction, type UpdateObject } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import type { BlobStore } from "../storage/index.ts";
import { BUILD_LEASE_SECONDS, buildLapsed, ensureArtifactRow } from "./artifacts.ts";
import type { FfmpegWasm } from "./ffmpeg.ts";
import {
  channelOrder,
  decodeArgs,
  inputName,
  inputRates,
  legFlacArgs,
  mergeArgs,
  mergeShape,
  PEAK_BIN_MS,
  type Peaks,
  peaksOf,
  sourceHash,
} from "./media.ts";

// Worker side of recording media: the waveform peaks and the FLAC artifacts, computed with the
// ffmpeg WebAssembly engine. Everything is keyed by the legs' content hash and written whole
// (BlobStore.put: readers see the old file or the new), so a retried or duplicated job rewrites
// the same file.
// A file is recorded on its row only under the recording's row lock and while it is not deleted:
// retention deletes under the same lock, so it finds every recorded file, and a file written after
// its pass is removed by the job that wrote it.

export type MediaContext = {
  db: Database;
  blobs: BlobStore;
  ffmpeg: FfmpegWasm;
  log: (line: string) => void;
};

/** All derived files of a recording live beside its legs, so removing that folder removes them all. */
const mediaKey = (conversationId: string, name: string) => `recordings/${conversationId}/${name}`;

async function loadLegs(db: Database, recordingId: string) {
  const recording = await db
    .selectFrom("recordings")
    .select(["id", "conversation_id", "peaks_key", "deleted_at"])
    .where("id", "=", recordingId)
    .executeTakeFirst();
  if (!recording || recording.deleted_at) return null;
  const legs = await db
    .selectFrom("recording_legs")
    .select(["leg_index as legIndex", "label", "sha256", "format", "storage_key as storageKey"])
    .where("recording_id", "=", recordingId)
    .where("storage_key", "is not", null)
    .orderBy("leg_index")
    .execute();
  if (legs.length === 0) return null;
  return {
    recording,
    legs: legs as ((typeof legs)[number] & { storageKey: string })[],
    hash: sourceHash(legs),
  };
}

/** Locks the recording's row; false when retention deleted it (waiting for a deletion in progress). */
async function lockUndeleted(trx: Transaction<DB>, recordingId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("recordings")
    .select("id")
    .where("id", "=", recordingId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

const failure = (what: string, log: string[]) =>
  new Error(`${what} failed: ${log.slice(-4).join(" | ").slice(0, 500)}`);

/** The recording's waveform peaks for its current legs, computed once per legs content. */
export async function computePeaks(ctx: MediaContext, recordingId: string): Promise<Peaks | null> {
  const loaded = await loadLegs(ctx.db, recordingId);
  if (!loaded) return null;
  const { recording, legs, hash } = loaded;
  const key = mediaKey(recording.conversation_id, `peaks-${hash}.json`);
  if (await ctx.blobs.exists(key)) {
    const peaks = JSON.parse((await ctx.blobs.get(key)).toString("utf8")) as Peaks;
    if (recording.peaks_key === key) return peaks;
    return (await savePeaksKey(ctx, recordingId, key, peaks.durationMs)) ? peaks : null;
  }
  const inputs = await Promise.all(
    legs.map(async (leg, i) => ({
      name: inputName(i, leg.format),
      data: await ctx.blobs.get(leg.storageKey),
    })),
  );
  const raws = inputs.map((_, i) => `${i}.raw`);
  const result = await ctx.ffmpeg.run({ args: decodeArgs(inputs.map((i) => i.name)), inputs, outputs: raws });
  if (result.code !== 0) throw failure("Decoding the legs", result.log);
  const rates = inputRates(result.log, inputs.length);
  const decoded = legs.map((leg, i) => {
    const pcm = result.outputs[`${i}.raw`] ?? new Uint8Array();
    const sampleRate = rates[i] as number;
    return {
      legIndex: leg.legIndex,
      label: leg.label,
      sampleRate,
      samples: pcm.byteLength / 2,
      peaks: peaksOf(pcm, sampleRate),
    };
  });
  const shape = mergeShape(decoded);
  const peaks: Peaks = {
    durationMs: Math.round((shape.samples / shape.rate) * 1000),
    binMs: PEAK_BIN_MS,
    legs: decoded,
  };
  await ctx.blobs.put(key, JSON.stringify(peaks));
  if (!(await savePeaksKey(ctx, recordingId, key, peaks.durationMs))) return null;
  ctx.log(`[recordings] peaks of ${recordingId}: ${legs.length} leg(s), ${peaks.durationMs} ms`);
  return peaks;
}

/** Records the peaks file on the recording; deleted by retention meanwhile, removes the file instead. */
async function savePeaksKey(ctx: MediaContext, recordingId: string, key: string, durationMs: number) {
  const saved = await ctx.db.transaction().execute(async (trx) => {
    if (!(await lockUndeleted(trx, recordingId))) return false;
    await trx
      .updateTable("recordings")
      .set({ peaks_key: key, duration_ms: durationMs, updated_at: sql`now()` })
      .where("id", "=", recordingId)
      .execute();
    return true;
  });
  if (!saved) await ctx.blobs.delete(key);
  return saved;
}

/** Peaks, then the merged FLAC the player streams: what a recording needs once its legs are in. */
export async function prepareRecordingMedia(ctx: MediaContext, recordingId: string): Promise<void> {
  const peaks = await computePeaks(ctx, recordingId);
  if (!peaks) return;
  const loaded = await loadLegs(ctx.db, recordingId);
  if (!loaded) return;
  const { row } = await ensureArtifactRow(ctx.db, recordingId, "merged", loaded.hash);
  await buildArtifact(ctx, row.id);
}

/**
 * Builds one artifact (the merged FLAC or one leg as FLAC), reporting progress on its row. A row
 * already built whose file exists is left alone; a row whose legs have changed since it was
 * requested fails (the menu asks for the new legs' row). The build holds the row with a lease it
 * renews: a second build (a duplicate job, or prepare-media for the merged file) leaves a held row
 * alone, and takes over one whose lease lapsed (its worker died).
 */
export async function buildArtifact(ctx: MediaContext, artifactId: string): Promise<void> {
  const artifact = await ctx.db
    .selectFrom("recording_artifacts")
    .selectAll()
    .where("id", "=", artifactId)
    .executeTakeFirst();
  if (!artifact) return;
  const built = artifact.status === "succeeded" && artifact.storage_key;
  if (built && (await ctx.blobs.exists(built))) return;
  const buildId = randomUUID();
  const lease = sql<Date>`now() + make_interval(secs => ${BUILD_LEASE_SECONDS}::int)`;
  const claimed = await ctx.db
    .updateTable("recording_artifacts")
    .set({
      status: "running",
      progress: 0,
      error: null,
      build_id: buildId,
      lease_until: lease,
      updated_at: sql`now()`,
    })
    .where("id", "=", artifactId)
    .where((eb) =>
      eb.or([
        eb("status", "in", ["queued", "failed"]),
        buildLapsed,
        // Built, but its file is gone: built again.
        ...(built ? [eb("status", "=", "succeeded")] : []),
      ]),
    )
    .returning("id")
    .executeTakeFirst();
  if (!claimed) return ctx.log(`[recordings] ${artifact.variant} ${artifactId}: another build holds it`);
  /** Writes to the row while this build still holds it. */
  const setRow = (values: UpdateObject<DB, "recording_artifacts">) =>
    ctx.db
      .updateTable("recording_artifacts")
      .set({ ...values, updated_at: sql`now()` })
      .where("id", "=", artifactId)
      .where("build_id", "=", buildId)
      .execute();
  const renewal = setInterval(
    () => setRow({ lease_until: lease }).catch(() => {}),
    (BUILD_LEASE_SECONDS * 1000) / 3,
  );
  renewal.unref();
  try {
    const loaded = await loadLegs(ctx.db, artifact.recording_id);
    if (!loaded || loaded.hash !== artifact.source_hash) {
      await setRow({ status: "failed", error: "The recording changed since this file was requested." });
      return;
    }
    const { recording, legs, hash } = loaded;
    let args: string[];
    let chosen: typeof legs;
    const output = "out.flac";
    if (artifact.variant === "merged") {
      const peaks = await computePeaks(ctx, recording.id);
      if (!peaks) throw new Error("The recording has no legs.");
      chosen = channelOrder(legs);
      args = mergeArgs(
        chosen.map((leg, i) => inputName(i, leg.format)),
        mergeShape(peaks.legs),
        output,
      );
    } else {
      const legIndex = Number(artifact.variant.slice("leg-".length));
      chosen = legs.filter((l) => l.legIndex === legIndex);
      if (chosen.length !== 1) throw new Error(`The recording has no leg ${legIndex}.`);
      args = legFlacArgs(inputName(0, chosen[0]?.format ?? null), output);
    }
    const inputs = await Promise.all(
      chosen.map(async (leg, i) => ({
        name: inputName(i, leg.format),
        data: await ctx.blobs.get(leg.storageKey),
      })),
    );
    // Progress rows at most every 5 %: the menu polls them, the engine reports far more often.
    let reported = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const result = await ctx.ffmpeg.run({
      args,
      inputs,
      outputs: [output],
      onProgress: (ratio) => {
        if (ratio - reported < 0.05 || ratio >= 1) return;
        reported = ratio;
        writing = writing.then(() => setRow({ progress: Math.min(0.99, ratio) })).catch(() => {});
      },
    });
    await writing;
    const flac = result.outputs[output];
    if (result.code !== 0 || !flac) throw failure("Encoding FLAC", result.log);
    const key = mediaKey(recording.conversation_id, `${artifact.variant}-${hash}.flac`);
    await ctx.blobs.put(key, flac);
    const saved = await ctx.db.transaction().execute(async (trx) => {
      if (!(await lockUndeleted(trx, recording.id))) return "deleted";
      const held = await trx
        .updateTable("recording_artifacts")
        .set({
          status: "succeeded",
          progress: 1,
          storage_key: key,
          size_bytes: flac.byteLength,
          finished_at: new Date(),
          updated_at: sql`now()`,
        })
        .where("id", "=", artifactId)
        .where("build_id", "=", buildId)
        .returning("id")
        .executeTakeFirst();
      if (held) return "saved";
      // Taken over: the build that holds the row writes this same file. Gone: nobody will.
      const row = await trx
        .selectFrom("recording_artifacts")
        .select("id")
        .where("id", "=", artifactId)
        .executeTakeFirst();
      return row ? "taken over" : "deleted";
    });
    if (saved === "deleted") await ctx.blobs.delete(key);
    const note = {
      saved: "",
      "taken over": " (another build took it over)",
      deleted: " (deleted meanwhile)",
    };
    ctx.log(`[recordings] ${artifact.variant} of ${recording.id}: ${flac.byteLength} bytes${note[saved]}`);
  } catch (err) {
    await setRow({
      status: "failed",
      error: err instanceof Error ? err.message.slice(0, 1000) : String(err),
    });
    throw err; // pg-boss retries per the queue's policy
  } finally {
    clearInterval(renewal);
  }
}
