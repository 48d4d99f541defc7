import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobStore } from "../../lib/storage/blobs.ts";

export type TempBlobStore = { blobs: BlobStore; dir: string; remove: () => void };

/** A blob store in a fresh folder under the system's temp dir; `remove` deletes the folder. */
export function tempBlobStore(name: string): TempBlobStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), `parley-${name}-`));
  return { blobs: new BlobStore(dir), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
