import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import type { Database } from "../../db/client.ts";
import type { PlatformActionKind, PlatformActionStatus } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import { conversationScope, type UserViewer } from "../auth/scope.ts";
import { CONVERSATION_NOT_AVAILABLE } from "../conversations/detail.ts";
import { sendPlatformActionJob } from "../jobs/definitions.ts";
import { enqueue } from "../jobs/enqueue.ts";
import { notifyConversations } from "../live/notify.ts";
import { NOT_ONGOING } from "./messages.ts";
import { deliver, type PlatformActionRequest } from "./webhook.ts";

// Supervisor actions on an ongoing conversation (spec: "Supervisor Actions"): Join Conversation,
// Assign, Change Queue. Parley records the request (pending row + audit), a job sends it to the
// platform by signed webhook, and the platform's ingest events settle it (settle.ts).

export const ACTION_LABELS: Record<PlatformActionKind, string> = {
  join: "Join Conversation",
  assign: "Assign",
  change_queue: "Change Queue",
};

export { NOT_ONGOING } from "./messages.ts";
export const NOT_AN_AGENT = "Choose an active agent to assign the conversation to.";
export const UNKNOWN_QUEUE = "Choose an existing queue.";
export const ALREADY_JOINED = "You have already joined this conversation.";
export const NO_PLATFORM = "No contact-center platform is configured (PLATFORM_WEBHOOK_URL).";

export type PlatformActionInput =
  | { kind: "join" }
  | { kind: "assign"; agentId: string }
  | { kind: "change_queue"; queueId: string };

/** What the row's payload holds: a snapshot of the target at request time (names change later). */
type Payload = { agent?: { id: string; email: string; name: string }; queue?: { id: string; name: string } };

export type RequestedBy = { viewer: UserViewer; actor: Actor; context?: RequestContext };

/**
 * Records the action and enqueues its delivery in one transaction: either both exist or neither.
 * The conversation row is locked, so an end arriving at the same moment is seen or waits.
 */
export async function requestPlatformAction(
  db: Database,
  boss: PgBoss,
  by: RequestedBy,
  conversationId: string,
  input: PlatformActionInput,
): Promise<{ actionId: string }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom("conversations")
      .select(["id", "status"])
      .where("id", "=", conversationId)
      .where(conversationScope(by.viewer))
      .forUpdate()
      .executeTakeFirst();
    if (!conversation) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    if (conversation.status !== "in_progress") throw new ActionError(NOT_ONGOING);

    // Joining twice would put the supervisor on the conversation twice: once is enough.
    if (input.kind === "join" && (await viewerJoinState(trx, by.viewer.id, conversation.id))) {
      throw new ActionError(ALREADY_JOINED);
    }
    const payload: Payload = {};
    if (input.kind === "assign") {
      const agent = await trx
        .selectFrom("users")
        .select(["id", "email", "name"])
        .where("id", "=", input.agentId)
        .where("role", "=", "agent")
        .where("deactivated_at", "is", null)
        .executeTakeFirst();
      if (!agent) throw new ActionError(NOT_AN_AGENT);
      payload.agent = agent;
    } else if (input.kind === "change_queue") {
      const queue = await trx
        .selectFrom("queues")
        .select(["id", "name"])
        .where("id", "=", input.queueId)
        .executeTakeFirst();
      if (!queue) throw new ActionError(UNKNOWN_QUEUE);
      payload.queue = queue;
    }

    const { id } = await trx
      .insertInto("platform_actions")
      .values({
        conversation_id: conversation.id,
        requested_by: by.viewer.id,
        kind: input.kind,
        payload: JSON.stringify(payload),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: by.actor,
      action: `conversation.${input.kind.replace("_", "-")}`,
      target: { type: "conversation", id: conversation.id },
      detail: {
        actionId: id,
        ...(payload.agent && { agent: payload.agent.email }),
        ...(payload.queue && { queue: payload.queue.name }),
      },
      context: by.context,
    });
    await enqueue(boss, sendPlatformActionJob, { actionId: id }, { trx });
    await notifyConversations(trx, [conversation.id]); // other open Monitor pages show it pending
    return { actionId: id };
  });
}

/**
 * Whether the viewer is on the conversation ("joined": a participant who has not left) or on the
 * way ("requested": their Join Conversation is pending or sent); null when they may join.
 */
export async function viewerJoinState(
  db: Database,
  userId: string,
  conversationId: string,
): Promise<"joined" | "requested" | null> {
  const [participant, pending] = await Promise.all([
    db
      .selectFrom("conversation_participants")
      .select("id")
      .where("conversation_id", "=", conversationId)
      .where("user_id", "=", userId)
      .where("left_at", "is", null)
      .executeTakeFirst(),
    db
      .selectFrom("platform_actions")
      .select("id")
      .where("conversation_id", "=", conversationId)
      .where("requested_by", "=", userId)
      .where("kind", "=", "join")
      .where("status", "in", ["pending", "sent"])
      .executeTakeFirst(),
  ]);
  return participant ? "joined" : pending ? "requested" : null;
}

export type PlatformActionView = {
  id: string;
  kind: PlatformActionKind;
  label: string;
  /** The agent (Assign) or queue (Change Queue) named in the request. */
  target: string | null;
  status: PlatformActionStatus;
  requestedBy: string;
  createdAt: Date;
  confirmedAt: Date | null;
  error: string | null;
};

/** A conversation's actions, newest first (the caller has checked the viewer may see it). */
export async function listPlatformActions(
  db: Database,
  conversationId: string,
): Promise<PlatformActionView[]> {
  const rows = await db
    .selectFrom("platform_actions as a")
    .innerJoin("users as u", "u.id", "a.requested_by")
    .select([
      "a.id",
      "a.kind",
      "a.payload",
      "a.status",
      "a.created_at",
      "a.confirmed_at",
      "a.last_error",
      "u.name as requested_by",
    ])
    .where("a.conversation_id", "=", conversationId)
    .orderBy("a.created_at", "desc")
    .limit(50)
    .execute();
  return rows.map((r) => {
    const payload = r.payload as Payload;
    return {
      id: r.id,
      kind: r.kind,
      label: ACTION_LABELS[r.kind],
      target: payload.agent?.name ?? payload.queue?.name ?? null,
      status: r.status,
      requestedBy: r.requested_by,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      error: r.last_error,
    };
  });
}

/** The webhook body for a stored action, or null when the action no longer exists. */
export async function buildPlatformRequest(db: Database, actionId: string) {
  const row = await db
    .selectFrom("platform_actions as a")
    .innerJoin("conversations as c", "c.id", "a.conversation_id")
    .innerJoin("users as u", "u.id", "a.requested_by")
    .select([
      "a.id",
      "a.kind",
      "a.payload",
      "a.status",
      "a.created_at",
      "a.conversation_id",
      "c.session_id",
      "u.email",
      "u.name",
    ])
    .where("a.id", "=", actionId)
    .executeTakeFirst();
  if (!row) return null;
  const payload = row.payload as Payload;
  const request: PlatformActionRequest = {
    id: row.id,
    type: row.kind,
    createdAt: row.created_at.toISOString(),
    conversation: { id: row.conversation_id, sessionId: row.session_id },
    requestedBy: { email: row.email, name: row.name },
    ...(payload.agent && { agent: { email: payload.agent.email, name: payload.agent.name } }),
    ...(payload.queue && { queue: payload.queue.name }),
  };
  return { status: row.status, request };
}

export type PlatformTarget = { url: string; secret: string };

/**
 * One delivery attempt (the platform.send-action job). Idempotent: a settled or already delivered
 * action is not sent again, and every attempt carries the action id as its idempotency key. A
 * failed attempt throws so pg-boss retries it, except the last, which marks the action failed.
 */
export async function sendPlatformAction(
  db: Database,
  target: PlatformTarget | null,
  actionId: string,
  opts: { lastAttempt: boolean; now?: Date },
): Promise<void> {
  const found = await buildPlatformRequest(db, actionId);
  if (found?.status !== "pending") return;
  const conversationId = found.request.conversation.id;
  const outcome = target
    ? await deliver(target, found.request, opts.now)
    : ({ ok: false, error: NO_PLATFORM } as const);
  const giveUp = !outcome.ok && (opts.lastAttempt || !target);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("platform_actions")
      .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: outcome.ok ? null : outcome.error }))
      .where("id", "=", actionId)
      .execute();
    const next = outcome.ok ? "sent" : giveUp ? "failed" : null;
    if (next) {
      // Only a pending action moves: the platform's confirmation may already have arrived.
      await trx
        .updateTable("platform_actions")
        .set({ status: next })
        .where("id", "=", actionId)
        .where("status", "=", "pending")
        .execute();
    }
    await notifyConversations(trx, [conversationId]);
  });
  if (!outcome.ok && !giveUp) throw new Error(outcome.error);
}

/** Why an action failed when no delivery attempt got as far as an answer from the platform. */
export const UNDELIVERED = "Parley stopped trying before the platform answered. Request the action again.";

/**
 * The delivery job ran out of attempts without settling the action (the worker killed, the job
 * expired, a database error on the last attempt): a still pending action fails, keeping the error
 * of the last delivery it recorded, else saying it never got an answer. One sent, confirmed or
 * failed meanwhile is left alone.
 */
export async function failUndeliveredAction(db: Database, actionId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("platform_actions")
      .set((eb) => ({ status: "failed", last_error: eb.fn.coalesce("last_error", sql.val(UNDELIVERED)) }))
      .where("id", "=", actionId)
      .where("status", "=", "pending")
      .returning("conversation_id")
      .executeTakeFirst();
    if (row) await notifyConversations(trx, [row.conversation_id]);
  });
}
