import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import type { BlobStore } from "./blobs.ts";

// Files being received (uploads, fetched recording legs) are written under staging/ and renamed
// into place once checked. A process killed mid-transfer leaves its staging file behind; one
// folder for them all lets the hourly sweep find such leftovers without walking the whole store.

const STAGING = "staging";
/** Older than any transfer in progress (uploads and fetches time out well within it). */
export const STAGING_MAX_AGE_MS = 24 * 3_600_000;

/** A fresh staging key for a `kind` of transfer. */
export const stagingKey = (kind: "upload" | "recording") => `${STAGING}/${kind}-${randomUUID()}`;

/** Deletes staging files last written more than a day before `now`; the number deleted. */
export async function sweepStaging(blobs: BlobStore, now: Date): Promise<number> {
  let deleted = 0;
  for (const key of await blobs.list(STAGING)) {
    const stat = await fs.stat(blobs.pathOf(key)).catch(() => null);
    if (!stat || now.getTime() - stat.mtimeMs <= STAGING_MAX_AGE_MS) continue;
    await blobs.delete(key);
    deleted++;
  }
  return deleted;
}
