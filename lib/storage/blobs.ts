import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
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
    try {
      await fs.writeFile(tmp, data);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true }); // a full disk must not also leave half a file behind
      throw error;
    }
  }

  /** `put` for a file too big to hold in memory: streamed to the temporary name, then renamed. */
  async putStream(key: string, source: Readable | AsyncIterable<string | Uint8Array>): Promise<number> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await pipeline(source, createWriteStream(tmp));
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
    return (await fs.stat(target)).size;
  }

  /** Every key under a folder key (e.g. one export's files), leftovers of a killed writer included. */
  async list(folder: string): Promise<string[]> {
    const names = await fs.readdir(this.pathOf(folder)).catch(() => [] as string[]);
    return names.map((name) => `${folder}/${name}`);
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
