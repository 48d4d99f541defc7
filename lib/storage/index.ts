import { blobLocation, blobStorage, type Env, readEnv } from "../config/env.ts";
import { metrics } from "../observability/metrics.ts";
import { type BlobStore, isBlobNotFound } from "./blob-store.ts";
import { LocalBlobStore } from "./local.ts";
import { S3BlobStore } from "./s3.ts";

// The one factory: the local folder or S3-compatible storage, from configuration (PARLEY_BLOB_URL).
// Everything else receives a BlobStore and never learns which one it is.

export type { BlobInfo, BlobSource, BlobStore, ByteRange } from "./blob-store.ts";
export { BlobNotFound, isBlobNotFound } from "./blob-store.ts";

export function openBlobStore(env: Env = readEnv()): BlobStore {
  const where = blobStorage(env);
  if (where.kind === "folder") return countingErrors(new LocalBlobStore(where.dir));
  return countingErrors(
    new S3BlobStore({
      bucket: where.bucket,
      prefix: where.prefix,
      region: env.AWS_REGION,
      endpoint: env.PARLEY_S3_ENDPOINT,
      forcePathStyle: env.PARLEY_S3_FORCE_PATH_STYLE,
      // Without both keys in the environment the SDK's own chain applies (instance roles, profiles).
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? {
              accessKeyId: env.AWS_ACCESS_KEY_ID,
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
              sessionToken: env.AWS_SESSION_TOKEN,
            }
          : undefined,
    }),
  );
}

/**
 * The store, with every failed operation counted on the metrics (parley_blob_store_errors_total by
 * operation). A missing blob is an answer, not an error.
 */
function countingErrors(store: BlobStore): BlobStore {
  const { blobErrors } = metrics();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      const operation = String(prop);
      return (...args: unknown[]) => {
        const count = (err: unknown) => {
          if (!isBlobNotFound(err)) blobErrors.inc({ operation });
          throw err;
        };
        try {
          const result = value.apply(target, args);
          return result instanceof Promise ? result.catch(count) : result;
        } catch (err) {
          return count(err);
        }
      };
    },
  });
}

/** The store at `url` (a folder path or s3://bucket/prefix), the rest from `env`: benches, tests. */
export function openBlobStoreAt(url: string, env: Env = readEnv()): BlobStore {
  if (!blobLocation(url)) throw new Error(`Not a blob store location: ${url}`);
  return openBlobStore({ ...env, PARLEY_BLOB_URL: url });
}

let shared: BlobStore | undefined;

/** The process's store (route handlers): opened once from the environment. */
export function getBlobStore(): BlobStore {
  shared ??= openBlobStore();
  return shared;
}
