import { PassThrough, type Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { contentDisposition } from "../files/content-disposition.ts";
import {
  type BlobInfo,
  BlobNotFound,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  checkKey,
  toReadable,
} from "./blob-store.ts";

// S3-compatible object storage (AWS S3, MinIO, Ceph, R2…): one bucket, every key under an optional
// prefix. An object appears only once its PUT (or multipart upload) completes, so S3 needs no
// temporary names; a move is a server-side copy then a delete.

export type S3Options = {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash ("" for none). */
  prefix: string;
  region?: string;
  /** For S3-compatible servers (MinIO, Ceph, R2): their URL, addressed path-style. */
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

/** Multipart parts: 8 MB, two in flight, so one upload holds at most ~16 MB in memory. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

const notFound = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
};

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;

  constructor(opts: S3Options, client?: S3Client) {
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? `${opts.prefix.replace(/^\/+|\/+$/g, "")}/` : "";
    const config: S3ClientConfig = {
      region: opts.region ?? "us-east-1",
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
      credentials: opts.credentials,
      // The SDK's default ("WHEN_SUPPORTED") sends streamed bodies aws-chunked with a trailing
      // checksum; S3-compatible servers that don't decode it store the framing with the bytes
      // (1,000 bytes came back as 1,043). Checksums only where the API requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    };
    this.client = client ?? new S3Client(config);
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private objectKey(key: string): string {
    return `${this.prefix}${checkKey(key)}`;
  }

  async put(key: string, data: Buffer | Uint8Array | string): Promise<void> {
    const body = typeof data === "string" ? Buffer.from(data) : data;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentLength: body.byteLength,
      }),
    );
  }

  async putStream(key: string, source: BlobSource): Promise<number> {
    let size = 0;
    const counted = new PassThrough();
    counted.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
    });
    const input = toReadable(source);
    // A failing source fails the upload (which then aborts its multipart parts).
    input.on("error", (err) => counted.destroy(err));
    input.pipe(counted);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectKey(key), Body: counted },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      input.destroy();
      // The source's own error (a client that sent too much, a dropped download) says more.
      throw counted.errored ?? err;
    }
    return size;
  }

  async get(key: string): Promise<Buffer> {
    const stream = await this.stream(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stream(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    } catch (err) {
      throw notFound(err) ? new BlobNotFound(key) : err;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return { key, size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const folder = `${this.objectKey(prefix)}/`;
    const out: BlobInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: folder, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        out.push({
          key: o.Key.slice(this.prefix.length),
          size: o.Size ?? 0,
          modifiedAt: o.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async move(from: string, to: string): Promise<void> {
    try {
      // Keys are [A-Za-z0-9._-/] only (checkKey): nothing in CopySource needs escaping.
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(to),
          CopySource: `${this.bucket}/${this.objectKey(from)}`,
        }),
      );
    } catch (err) {
      throw notFound(err) ? new BlobNotFound(from) : err;
    }
    await this.delete(from);
  }

  async presignedUrl(
    key: string,
    opts: { expiresInSeconds: number; fileName?: string; contentType?: string },
  ): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ResponseContentType: opts.contentType,
      ResponseContentDisposition: opts.fileName ? contentDisposition(opts.fileName) : undefined,
      ResponseCacheControl: "private, no-store",
    });
    return getSignedUrl(this.client, command, { expiresIn: opts.expiresInSeconds });
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}
