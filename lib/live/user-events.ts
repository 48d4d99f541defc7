import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";

// Events for one user's open tabs (an export of theirs finished, a new notification), next to the conversation changes
// of lib/live/feed.ts and carried by the same LISTEN connection and /api/live stream.

/** Channel of user events: payload `{"userId": …, "event": UserEvent}`. */
export const USER_CHANNEL = "parley_user";

export type UserEvent =
  | {
      type: "export";
      id: string;
      status: "succeeded" | "failed";
      fileName: string;
      error: string | null;
    }
  /** A new in-app notification (lib/notifications): the bell reloads its rows. */
  | { type: "notification" };

/** Sends the event when `db`'s transaction commits (pg_notify is transactional), so never before the row. */
export async function notifyUser(db: Kysely<DB> | Transaction<DB>, userId: string, event: UserEvent) {
  await sql`select pg_notify(${USER_CHANNEL}, ${JSON.stringify({ userId, event })})`.execute(db);
}
