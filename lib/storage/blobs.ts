import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { blobDir } from "../config/env.ts";

// Local-folder blob store (PARLEY_DATA_DIR/blobs). Keys are relative POSIX paths such as
// "avatars/<user>/64.webp"; they never escape the root.
export class BlobStore {
  readonly root: string;

  constructor(root: string = blobDir()) {
    this.root = path.resolve(root);
  }

  pathOf(key: string): string {
    if (
      !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key) ||
      key.split("/").some((p) => p === ".." || p === ".")
    ) {
      throw new Error(`Invalid blob key: ${key}`);
    }
    return path.join(this.root, key);
  }

  /** Writes to a temporary name and renames, so readers never see a half-written file. */
  async put(key: string, data: Buffer | Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  }

  async get(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key));
  }

  stream(key: string) {
    return createReadStream(this.pathOf(key));
  }

  /** A byte range of the file (inclusive `end`), for HTTP range requests. */
  createReadStream(key: string, range: { start: number; end: number }) {
    return createReadStream(this.pathOf(key), range);
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
