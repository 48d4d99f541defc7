import { createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type BlobInfo,
  BlobNotFound,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  checkKey,
  toReadable,
} from "./blob-store.ts";

// The local folder (PARLEY_DATA_DIR/blobs by default): the zero-setup store. Writes go to a
// temporary name beside the target and are renamed, so a reader never sees half a file.

const missing = (err: unknown): boolean => (err as NodeJS.ErrnoException)?.code === "ENOENT";

export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get location(): string {
    return this.root;
  }

  private pathOf(key: string): string {
    return path.join(this.root, checkKey(key));
  }

  private async writeAtomically(key: string, write: (tmp: string) => Promise<void>): Promise<string> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await write(tmp);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true }); // a full disk must not also leave half a file behind
      throw error;
    }
    return target;
  }

  async put(key: string, data: Buffer | Uint8Array | string): Promise<void> {
    await this.writeAtomically(key, (tmp) => fs.writeFile(tmp, data));
  }

  async putStream(key: string, source: BlobSource): Promise<number> {
    const target = await this.writeAtomically(key, (tmp) =>
      pipeline(toReadable(source), createWriteStream(tmp)),
    );
    return (await fs.stat(target)).size;
  }

  async get(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key)).catch((err) => {
      throw missing(err) ? new BlobNotFound(key) : err;
    });
  }

  async stream(key: string, range?: ByteRange): Promise<Readable> {
    // Opened first, so a missing file rejects here instead of failing the stream later.
    const handle = await fs.open(this.pathOf(key), "r").catch((err) => {
      throw missing(err) ? new BlobNotFound(key) : err;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async head(key: string): Promise<BlobInfo | null> {
    const stat = await fs.stat(this.pathOf(key)).catch((err) => {
      if (missing(err)) return null;
      throw err;
    });
    return stat?.isFile() ? { key, size: stat.size, modifiedAt: stat.mtime } : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const dir = this.pathOf(prefix);
    const names = await fs.readdir(dir, { recursive: true }).catch((err) => {
      if (missing(err) || (err as NodeJS.ErrnoException).code === "ENOTDIR") return [] as string[];
      throw err;
    });
    const out: BlobInfo[] = [];
    for (const name of names) {
      const key = `${prefix}/${name.split(path.sep).join("/")}`;
      const info = await this.head(key).catch(() => null); // gone meanwhile, or a folder
      if (info) out.push(info);
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(this.pathOf(from), target).catch((err) => {
      throw missing(err) ? new BlobNotFound(from) : err;
    });
  }

  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}
