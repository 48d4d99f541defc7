import type { Transaction } from "kysely";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { DB, JobStatus } from "../../db/types.ts";
import { ActionError } from "../auth/action-error.ts";
import { buildRecordingArtifact } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import type { ScopedRecording } from "./queries.ts";

// Download files of a recording ("Download as a single file": `merged`; "Download as separate
// files": `leg-N` each). A request creates the artifact row and its job in one transaction; a row
// that already exists for the same legs is reused (built once, whoever asks), a failed one is
// queued again.

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
      let { row, created } = await ensureArtifactRow(trx, recording.id, variant, hash);
      if (!created && row.status === "failed") {
        row = await trx
          .updateTable("recording_artifacts")
          .set({ status: "queued", progress: 0, error: null })
          .where("id", "=", row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      if (created || row.status === "queued") {
        // singletonKey: polling or double clicks never queue the same file twice.
        await enqueue(boss, buildRecordingArtifact, { artifactId: row.id }, { trx, singletonKey: row.id });
      }
      out.push(toStatus(row));
    }
    return out;
  });
}

/** Current states of the recording's files for its present legs. */
export async function artifactStatuses(
  db: Database,
  recording: ScopedRecording,
  variants: string[],
): Promise<ArtifactStatus[]> {
  if (!recording.hash || variants.length === 0) return [];
  const rows = await db
    .selectFrom("recording_artifacts")
    .select(["variant", "status", "progress", "size_bytes"])
    .where("recording_id", "=", recording.id)
    .where("source_hash", "=", recording.hash)
    .where("variant", "in", variants)
    .execute();
  return rows.map(toStatus);
}
