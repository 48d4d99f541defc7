import type { Database } from "../../db/client.ts";
import type { BlobStore } from "../storage/index.ts";

/** A user's processed picture (webp) at 64 or 128 px, or null when they have none. */
export async function readAvatar(
  db: Database,
  blobs: BlobStore,
  userId: string,
  size: 64 | 128,
): Promise<Buffer | null> {
  const user = await db
    .selectFrom("users")
    .select(["avatar_64_key", "avatar_128_key"])
    .where("id", "=", userId)
    .executeTakeFirst();
  const key = size === 64 ? user?.avatar_64_key : user?.avatar_128_key;
  if (!key) return null;
  return blobs.get(key).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null; // recorded but not (yet) on this store
    throw err;
  });
}
