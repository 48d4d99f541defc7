import type { Database } from "../../db/client.ts";
import type { UserRole } from "../../db/types.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";

/** Inserts a user and returns them as a fresh Viewer (no avatar, no display preferences yet). */
export async function insertViewer(
  db: Database,
  user: { email: string; name: string; role: UserRole },
): Promise<Viewer> {
  const row = await db
    .insertInto("users")
    .values(user)
    .returning(["id", "name", "email", "role"])
    .executeTakeFirstOrThrow();
  return {
    ...row,
    avatar64Key: null,
    avatar128Key: null,
    avatarUpdatedAt: null,
    timeZone: null,
    listColumns: null,
    listDensity: null,
  };
}
