import { cookies } from "next/headers";
import { createDb, type Database } from "../db/client.ts";
import { getDb } from "../db/index.ts";

// Reads that may come from a streaming replica (DATABASE_READ_URL): the Conversations list, search
// and the read API, the heavy reads that grow with traffic. A replica lags the primary (usually well
// under a second), so a user who just changed something reads from the primary for a short window:
// every successful server action that writes (defineAction) stamps a cookie, and while it is fresh
// that browser's list and search read from the primary, so their own change is there at once.
// The cookie only chooses between two copies of data the user may see anyway: forging it merely
// moves that user's reads onto the primary.

export const RECENT_WRITE_COOKIE = "parley-recent-write";
/** Far above a healthy replica's lag, short enough that the primary carries few reads for it. */
export const RECENT_WRITE_SECONDS = 10;

const globalForReplica = globalThis as unknown as { parleyReadDb?: Database };

/** The replica's pool (DATABASE_READ_URL), or null without one. */
export function getReplicaDb(): Database | null {
  const url = process.env.DATABASE_READ_URL;
  if (!url) return null;
  globalForReplica.parleyReadDb ??= createDb(url, { max: 10, application: "parley-read" });
  return globalForReplica.parleyReadDb;
}

/** True while a write stamp (ms since the epoch, as the cookie holds it) is recent. */
export function isRecentWrite(stamp: string | undefined, now = Date.now()): boolean {
  const at = Number(stamp);
  return Number.isFinite(at) && at <= now + 1000 && now - at < RECENT_WRITE_SECONDS * 1000;
}

/** Where this request's list, search and read-API queries go: the replica, unless the user just wrote. */
export async function getReadDb(): Promise<Database> {
  const replica = getReplicaDb();
  if (!replica) return getDb();
  const jar = await cookies().catch(() => null);
  return isRecentWrite(jar?.get(RECENT_WRITE_COOKIE)?.value) ? getDb() : replica;
}

/** Stamps this browser as having just written (server actions and route handlers only). */
export async function markRecentWrite(): Promise<void> {
  if (!process.env.DATABASE_READ_URL) return;
  (await cookies()).set(RECENT_WRITE_COOKIE, String(Date.now()), {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: RECENT_WRITE_SECONDS,
  });
}
