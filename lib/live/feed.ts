import { sql } from "kysely";
import pg from "pg";
import type { Database } from "../../db/client.ts";
import { canSeeConversation, type ScopeViewer, viewerUserId } from "../auth/scope.ts";
import { CONVERSATIONS_CHANNEL } from "./notify.ts";
import { USER_CHANNEL, type UserEvent } from "./user-events.ts";

// Live updates for open pages: ONE PostgreSQL connection per web process LISTENs on the channel
// lib/live/notify.ts notifies, and fans each change out to every subscriber (one per open tab).
// Notifications arriving close together are coalesced and looked up with one query per batch —
// who joined each conversation and when it started — so subscribers are filtered in memory, not
// by a query per viewer per id.

/** A conversation that changed: its id and start (ISO, ms), so a page can tell whether it is in its range. */
export type ConversationChange = { id: string; startedAt: string };

export type FeedEvent =
  | { type: "changes"; changes: ConversationChange[] }
  /** The connection was lost and is back: notifications may have been missed, reload what you show. */
  | { type: "resync" }
  /** Something for this viewer alone (lib/live/user-events.ts). */
  | { type: "user"; event: UserEvent };

type Subscriber = { viewer: () => ScopeViewer; send: (event: FeedEvent) => void };

type LookedUp = ConversationChange & { participants: string[] };

/** How long notifications are gathered into one lookup; ingest sends one per transaction. */
const COALESCE_MS = 100;
const MAX_RETRY_MS = 10_000;

export class ConversationFeed {
  private client: pg.Client | null = null;
  private connecting = false;
  private closed = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | null = null;
  private pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private everConnected = false;
  private readonly subscribers = new Set<Subscriber>();

  private readonly connectionString: string;
  private readonly db: Database;
  private readonly log: (line: string) => void;

  constructor(
    connectionString: string,
    db: Database,
    log: (line: string) => void = (line) => console.error(`[live] ${line}`),
  ) {
    this.connectionString = connectionString;
    this.db = db;
    this.log = log;
  }

  /**
   * Calls `send` with the changes `viewer()` may see (read on every batch, so a role change applies
   * to open streams too). Returns the unsubscribe function.
   */
  subscribe(viewer: () => ScopeViewer, send: (event: FeedEvent) => void): () => void {
    const subscriber = { viewer, send };
    this.subscribers.add(subscriber);
    this.connect();
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** For tests and shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connect() {
    if (this.client || this.connecting || this.closed) return;
    this.connecting = true;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: "parley-live",
    });
    const fail = (error: Error) => {
      if (this.client === client) this.client = null;
      client.removeAllListeners();
      client.on("error", () => {}); // a late error on a connection already given up must not crash
      client.end().catch(() => {});
      if (this.closed) return;
      this.log(`connection lost (${error.message}); retrying in ${this.retryMs} ms`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
    client.on("error", fail);
    client.on("end", () => fail(new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel === CONVERSATIONS_CHANNEL) this.receive(message.payload);
      else if (message.channel === USER_CHANNEL) this.receiveUserEvent(message.payload);
    });
    client
      .connect()
      .then(() => client.query(`listen ${CONVERSATIONS_CHANNEL}; listen ${USER_CHANNEL}`))
      .then(() => {
        this.connecting = false;
        if (this.closed) {
          client.end().catch(() => {});
          return;
        }
        this.client = client;
        this.retryMs = 250;
        if (this.everConnected) this.broadcast({ type: "resync" });
        this.everConnected = true;
      })
      .catch((error: Error) => {
        this.connecting = false;
        fail(error);
      });
  }

  private receive(payload: string | undefined) {
    try {
      const { ids } = JSON.parse(payload ?? "{}") as { ids?: unknown };
      if (!Array.isArray(ids)) return;
      for (const id of ids) if (typeof id === "string") this.pending.add(id);
    } catch {
      return; // not ours
    }
    if (this.subscribers.size === 0) {
      this.pending.clear();
      return;
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, COALESCE_MS);
  }

  /** Straight to the addressee's streams: nothing to look up, the event names its user. */
  private receiveUserEvent(payload: string | undefined) {
    let userId: unknown;
    let event: UserEvent;
    try {
      ({ userId, event } = JSON.parse(payload ?? "{}") as { userId?: unknown; event: UserEvent });
    } catch {
      return; // not ours
    }
    if (typeof userId !== "string" || !event) return;
    for (const subscriber of this.subscribers) {
      if (viewerUserId(subscriber.viewer()) === userId) subscriber.send({ type: "user", event });
    }
  }

  private async flush() {
    const ids = [...this.pending];
    this.pending.clear();
    if (ids.length === 0 || this.subscribers.size === 0) return;
    let rows: LookedUp[];
    try {
      rows = await lookUpChanges(this.db, ids);
    } catch (error) {
      this.log(`lookup failed: ${(error as Error).message}`);
      this.broadcast({ type: "resync" });
      return;
    }
    for (const subscriber of this.subscribers) {
      const viewer = subscriber.viewer();
      const changes = rows
        .filter((row) => canSeeConversation(viewer, row.participants))
        .map(({ id, startedAt }) => ({ id, startedAt }));
      if (changes.length) subscriber.send({ type: "changes", changes });
    }
  }

  private broadcast(event: FeedEvent) {
    for (const subscriber of this.subscribers) subscriber.send(event);
  }
}

/** One query for a whole batch: each changed conversation with its start and everyone who joined it. */
export async function lookUpChanges(db: Database, ids: string[]): Promise<LookedUp[]> {
  const rows = await db
    .selectFrom("conversations as c")
    .select([
      "c.id",
      "c.started_at as startedAt",
      sql<string[]>`coalesce((select array_agg(p.user_id) from conversation_participants p
        where p.conversation_id = c.id), '{}')`.as("participants"),
    ])
    .where("c.id", "in", ids)
    .execute();
  return rows.map((r) => ({ id: r.id, startedAt: r.startedAt.toISOString(), participants: r.participants }));
}

// One feed per process. Next.js dev reloads modules, so it is kept on globalThis like the pool.
const globalForFeed = globalThis as unknown as { parleyConversationFeed?: ConversationFeed };

export function getConversationFeed(db: Database): ConversationFeed {
  if (!globalForFeed.parleyConversationFeed) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    globalForFeed.parleyConversationFeed = new ConversationFeed(url, db);
  }
  return globalForFeed.parleyConversationFeed;
}
