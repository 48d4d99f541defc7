import type { Transaction } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { notifyUser } from "../live/user-events.ts";

// In-app notifications: rows, so nothing is lost while the recipient is offline. A new row is
// announced as a user event (lib/live/user-events.ts, delivered at commit) to the recipient's open
// tabs, which reload their bell.
const LIST_LIMIT = 20;

export type NewNotification = {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
  /** One notification per key, however often the cause is retried (unique column). */
  dedupeKey: string;
  /** When it happened; now unless the cause is dated (the demo seeder's past edits). */
  createdAt?: Date;
};

/** Adds a notification unless its dedupe key exists; true when it was added. */
export async function createNotification(trx: Transaction<DB>, n: NewNotification): Promise<boolean> {
  const inserted = await trx
    .insertInto("notifications")
    .values({
      user_id: n.userId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link ?? null,
      dedupe_key: n.dedupeKey,
      ...(n.createdAt ? { created_at: n.createdAt } : {}),
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return false;
  await notifyUser(trx, n.userId, { type: "notification" });
  return true;
}

export type NotificationView = {
  id: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  read: boolean;
};

export type NotificationInbox = { unread: number; items: NotificationView[] };

/** The user's latest notifications and how many are unread (served by notifications_user_idx). */
export async function getInbox(db: Database, userId: string): Promise<NotificationInbox> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom("notifications")
      .select(["id", "title", "body", "link", "created_at", "read_at"])
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(LIST_LIMIT)
      .execute(),
    db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", userId)
      .where("read_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    unread: Number(unread.n),
    items: rows.map((r) => ({
      id: String(r.id),
      title: r.title,
      body: r.body,
      link: r.link,
      createdAt: r.created_at,
      read: r.read_at !== null,
    })),
  };
}

/** Marks the given notifications of this user read (all of them when `ids` is omitted). */
export async function markRead(db: Database, userId: string, ids?: string[]): Promise<void> {
  let query = db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("user_id", "=", userId)
    .where("read_at", "is", null);
  if (ids) {
    if (ids.length === 0) return;
    query = query.where("id", "in", ids);
  }
  await query.execute();
}

/** Whether the user also wants an e-mail when a supervisor changes one of their dispositions. */
export async function getDispositionEmails(db: Database, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("notify_disposition_email")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.notify_disposition_email ?? false;
}

export async function setDispositionEmails(db: Database, userId: string, enabled: boolean): Promise<void> {
  await db
    .updateTable("users")
    .set({ notify_disposition_email: enabled, updated_at: new Date() })
    .where("id", "=", userId)
    .execute();
}
