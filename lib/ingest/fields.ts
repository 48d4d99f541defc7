import type { EventOf, IngestEvent } from "./schemas.ts";

// Last-writer-wins state: which columns of `conversations` and `customers` each event sets. Every
// value travels with a clock, "<occurredAt ISO> <event id>": fixed-width ISO strings in UTC compare
// in time order as plain (C-collated) text, and the event id breaks ties the same way everywhere.

export type Scalar = string | number | boolean | null;
export type Clocked = { value: Scalar; clock: string };
/** Column → latest value seen for one row, with the clock that set it. */
export type LwwRow = Map<string, Clocked>;

export type References = {
  users: Map<string, string>; // lower(email) → users.id
  customers: Map<string, string>; // user_ref → customers.id
  dispositions: Map<string, string>; // code → dispositions.id
};

export function clockOf(event: IngestEvent): string {
  return `${new Date(event.occurredAt).toISOString()} ${event.id}`;
}

export const userId = (refs: References, email: string | null | undefined): string | null =>
  email ? (refs.users.get(email.toLowerCase()) ?? null) : null;

/** Columns of `conversations` the event sets (customer_id needs the customers upserted first). */
export function conversationPatch(event: IngestEvent, refs: References): Record<string, Scalar> {
  const at = new Date(event.occurredAt).toISOString();
  switch (event.type) {
    case "conversation.started":
      return { ...describedFields(event, refs), started_at: at, status: "in_progress" };
    case "conversation.updated": {
      const patch = describedFields(event, refs);
      if (event.sentiment !== undefined) patch.sentiment = event.sentiment;
      if (event.supportAgentEmail !== undefined)
        patch.support_agent_id = userId(refs, event.supportAgentEmail);
      if (event.snoozeCount !== undefined) patch.snooze_count = event.snoozeCount;
      if (event.snoozeDurationSeconds !== undefined)
        patch.snooze_duration_seconds = event.snoozeDurationSeconds;
      return patch;
    }
    case "conversation.ended":
      return defined({ ended_at: at, status: event.status ?? "completed", smart_status: event.smartStatus });
    case "status.changed":
      return defined({ status: event.status, smart_status: event.smartStatus });
    case "csat.triggered":
      return { csat_triggered: true };
    case "csat.answered":
      return { csat_triggered: true, csat_score: event.score, csat_comment: event.comment ?? null };
    case "nps.triggered":
      return { nps_triggered: true };
    case "nps.answered":
      return { nps_triggered: true, nps_score: event.score };
    case "like.triggered":
      return { like_triggered: true };
    case "like.answered":
      return { like_triggered: true, liked: event.liked };
    case "disposition.set":
      return {
        disposition_id: refs.dispositions.get(event.code) ?? null,
        disposition_note: event.note ?? null,
      };
    default:
      return {};
  }
}

function describedFields(
  e: EventOf<"conversation.started"> | EventOf<"conversation.updated">,
  refs: References,
): Record<string, Scalar> {
  return defined({
    channel: e.channel,
    direction: e.direction,
    language: e.language,
    mode: e.mode,
    call_id: e.callId,
    call_conversation_id: e.callConversationId,
    agent_conversation_id: e.agentConversationId,
    external_call_id: e.externalCallId,
    recording_enabled: e.recordingEnabled,
    campaign_name: e.campaign?.name,
    campaign_instance_id: e.campaign?.instanceId,
    customer_id: e.customer ? (refs.customers.get(e.customer.userRef) ?? null) : undefined,
  });
}

/** Columns of `customers` the event sets, keyed by user_ref. */
export function customerPatch(event: IngestEvent): { userRef: string; patch: Record<string, Scalar> } | null {
  if (event.type !== "conversation.started" && event.type !== "conversation.updated") return null;
  if (!event.customer) return null;
  const c = event.customer;
  return {
    userRef: c.userRef,
    patch: defined({ channel_user_id: c.channelUserId, name: c.name, phone: c.phone, email: c.email }),
  };
}

/** Folds a patch into a row: a column keeps the value with the greatest clock. */
export function foldPatch(row: LwwRow, patch: Record<string, Scalar>, clock: string): void {
  for (const [column, value] of Object.entries(patch)) {
    const current = row.get(column);
    if (!current || clock > current.clock) row.set(column, { value, clock });
  }
}

function defined(values: Record<string, Scalar | undefined>): Record<string, Scalar> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    Scalar
  >;
}
