import sharp from "sharp";
import type { Database } from "../../db/client.ts";
import type { BlobStore } from "../storage/index.ts";

export const AVATAR_SIZES = [64, 128] as const;

export function avatarKey(userId: string, size: (typeof AVATAR_SIZES)[number]): string {
  return `avatars/${userId}/${size}.webp`;
}

export type ProcessAvatarResult =
  | { status: "processed"; keys: { 64: string; 128: string } }
  | { status: "unchanged"; keys: { 64: string; 128: string } }
  | { status: "skipped"; reason: "no-user" | "no-source" };

/**
 * Renders a user's uploaded picture as 64×64 and 128×128 webp (centre crop) and records the keys.
 *
 * Idempotent, as pg-boss delivers at least once: the encoding is deterministic, so a re-run that
 * would write the same bytes the row already points to changes nothing (avatar_updated_at, which
 * busts image caches, stays put). A deleted user or one without a picture is not an error: retrying
 * cannot help. A source key whose file is missing throws, so the job is retried (the upload may not
 * have landed yet on a shared store).
 */
export async function processAvatar(
  db: Database,
  blobs: BlobStore,
  userId: string,
  log: (line: string) => void = console.warn,
): Promise<ProcessAvatarResult> {
  // The row lock serialises jobs for the same user (two can run at once, even in one worker): the
  // later one waits, then reads the newest source key, so an older picture never lands last.
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["avatar_source_key", "avatar_64_key", "avatar_128_key"])
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) {
      log(`[avatars] user ${userId} no longer exists; nothing to do`);
      return { status: "skipped", reason: "no-user" };
    }
    if (!user.avatar_source_key) {
      log(`[avatars] user ${userId} has no uploaded picture; nothing to do`);
      return { status: "skipped", reason: "no-source" };
    }

    const source = await blobs.get(user.avatar_source_key).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") {
        throw new Error(`Avatar source ${user.avatar_source_key} of user ${userId} is missing`);
      }
      throw err;
    });
    const keys = { 64: avatarKey(userId, 64), 128: avatarKey(userId, 128) };
    const rendered = await Promise.all(
      AVATAR_SIZES.map(async (size) => ({ key: keys[size], data: await render(source, size) })),
    );

    const recorded = user.avatar_64_key === keys[64] && user.avatar_128_key === keys[128];
    const same = await Promise.all(rendered.map((r) => sameBytes(blobs, r.key, r.data)));
    if (recorded && same.every(Boolean)) return { status: "unchanged", keys };

    // BlobStore.put is atomic (a renamed temporary file, or one S3 PUT): readers see the old or the new picture.
    await Promise.all(rendered.map((r) => blobs.put(r.key, r.data)));
    await trx
      .updateTable("users")
      .set({ avatar_64_key: keys[64], avatar_128_key: keys[128], avatar_updated_at: new Date() })
      .where("id", "=", userId)
      .execute();
    return { status: "processed", keys };
  });
}

function render(source: Buffer, size: number): Promise<Buffer> {
  return sharp(source)
    .autoOrient() // phone photos carry their rotation in EXIF
    .resize(size, size, { fit: "cover", position: "centre" })
    .webp()
    .toBuffer();
}

async function sameBytes(blobs: BlobStore, key: string, data: Buffer): Promise<boolean> {
  return blobs.get(key).then(
    (existing) => existing.equals(data),
    () => false,
  );
}
