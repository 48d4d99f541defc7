import { sql, type Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { DB, JobStatus } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import { buildRecordingArtifactJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import type { ScopedRecording } from "./queries.ts";

// Download files of a recording ("Download as a single file": `merged`; "Download as separate
// files": `leg-N` each). A request creates the artifact row and its job in one transaction; a row
// that already exists for the same legs is reused (built once, whoever asks), a failed one is
// queued again. A build holds its row with a lease its worker renews (process.ts): a "running" row
// whose lease lapsed lost its worker, and is queued again when the player or the menu asks.

/** Seconds a build holds its row without a renewal (renewed every third of it). */
export const BUILD_LEASE_SECONDS = 15;

/** A recording_artifacts row "running" whose worker stopped renewing its lease (killed, or cut off). */
export const buildLapsed = sql<boolean>`(status = 'running' and (lease_until is null or lease_until < now()))`;

export const artifactVariant = z.string().regex(/^(merged|leg-\d{1,2})$/, "Unknown download.");

export type ArtifactStatus = {
  variant: string;
  status: JobStatus;
  progress: number;
  sizeBytes: number | null;
};

/** The artifact row for `variant` of these legs, created when missing (`created` says which). */
export async function ensureArtifactRow(
  db: Database | Transaction<DB>,
  recordingId: string,
  variant: string,
  hash: string,
) {
  const inserted = await db
    .insertInto("recording_artifacts")
    .values({ recording_id: recordingId, variant, source_hash: hash })
    .onConflict((oc) => oc.columns(["recording_id", "variant", "source_hash"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const row = await db
    .selectFrom("recording_artifacts")
    .selectAll()
    .where("recording_id", "=", recordingId)
    .where("variant", "=", variant)
    .where("source_hash", "=", hash)
    .executeTakeFirstOrThrow();
  return { row, created: false };
}

const toStatus = (row: {
  variant: string;
  status: JobStatus;
  progress: number;
  size_bytes: string | null;
}): ArtifactStatus => ({
  variant: row.variant,
  status: row.status,
  progress: row.progress,
  sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
});

/** Variants that name a leg the recording does not have are refused before anything is written. */
function checkVariants(recording: ScopedRecording, variants: string[]): string | null {
  for (const v of variants) {
    if (v === "merged") continue;
    const index = Number(v.slice("leg-".length));
    if (!recording.legs.some((l) => l.legIndex === index)) return `The recording has no leg ${index}.`;
  }
  return null;
}

/** The build job of an artifact row; its key keeps one build of a row running at a time. */
const enqueueBuild = (boss: PgBoss, trx: Transaction<DB>, artifactId: string) =>
  enqueue(boss, buildRecordingArtifactJob, { artifactId }, { trx, singletonKey: artifactId });

/** Back in line with a job, of `ids`: lapsed builds, and with `failedToo` failed ones. */
async function requeue(trx: Transaction<DB>, boss: PgBoss, ids: string[], failedToo: boolean) {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable("recording_artifacts")
    // Without its build id, a worker still alive after all can write nothing more to the row.
    .set({ status: "queued", progress: 0, error: null, build_id: null, lease_until: null })
    .where("id", "in", ids)
    .where((eb) => (failedToo ? eb.or([eb("status", "=", "failed"), buildLapsed]) : buildLapsed))
    .returningAll()
    .execute();
  for (const row of rows) await enqueueBuild(boss, trx, row.id);
  return rows;
}

/** Requests the files (idempotent); returns their states. A leg the recording lacks is an ActionError. */
export async function requestArtifacts(
  db: Database,
  boss: PgBoss,
  recording: ScopedRecording,
  variants: string[],
): Promise<ArtifactStatus[]> {
  const hash = recording.hash;
  if (!hash) throw new ActionError("The recording has no audio yet.");
  const bad = checkVariants(recording, variants);
  if (bad) throw new ActionError(bad);
  return db.transaction().execute(async (trx) => {
    const out: ArtifactStatus[] = [];
    for (const variant of [...new Set(variants)]) {
      const { row, created } = await ensureArtifactRow(trx, recording.id, variant, hash);
      if (created || row.status === "queued") {
        await enqueueBuild(boss, trx, row.id);
        out.push(toStatus(row));
      } else {
        const [again] = await requeue(trx, boss, [row.id], true);
        out.push(toStatus(again ?? row));
      }
    }
    return out;
  });
}

/** The recording's files for its present legs, as the menu polls them; a build whose worker died is queued again. */
export async function artifactStatuses(
  db: Database,
  boss: PgBoss,
  recording: ScopedRecording,
  variants: string[],
): Promise<ArtifactStatus[]> {
  const hash = recording.hash;
  if (!hash || variants.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("recording_artifacts")
      .select(["id", "variant", "status", "progress", "size_bytes"])
      .where("recording_id", "=", recording.id)
      .where("source_hash", "=", hash)
      .where("variant", "in", variants)
      .execute();
    const running = rows.filter((r) => r.status === "running").map((r) => r.id);
    const again = new Map((await requeue(trx, boss, running, false)).map((r) => [r.id, r]));
    return rows.map((r) => toStatus(again.get(r.id) ?? r));
  });
}
