import { sql, type Transaction } from "kysely";
import { type Database, inTransaction } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { refreshE2eP90 } from "../conversations/latency-store.ts";
import { notifyConversations } from "../live/notify.ts";
import { settlePlatformActions } from "../platform/settle.ts";
import { syncRecordingsForCalls } from "../recordings/calls.ts";
import { refreshSearchDocuments } from "../search/index.ts";
import {
  type Clocked,
  clockOf,
  conversationPatch,
  customerPatch,
  foldPatch,
  type LwwRow,
  type References,
  type Scalar,
  userId,
} from "./fields.ts";
import { type Mark, pairMarks } from "./intervals.ts";
import type { EventOf, IngestEvent, IngestResult } from "./schemas.ts";
import { conversationsTable, customersTable, insertRows, upsertLww } from "./sql.ts";
import { userReferences, validateEvents } from "./validate.ts";

export type { IngestEvent, IngestResult, Rejection } from "./schemas.ts";
export { MAX_BATCH_EVENTS } from "./schemas.ts";

export type IngestOptions = {
  /** All or nothing: one invalid event rejects the whole batch. */
  atomic?: boolean;
};

export type IngestOutcome = IngestResult & { conversationIds: string[] };

type Trx = Transaction<DB>;

/**
 * Validates and stores a batch of events. Replayed event ids are no-ops; events may arrive in any
 * order (a conversation is created by its first event of any type and completed by the others;
 * mutable fields keep the value of the latest event by occurredAt). Invalid events are reported by
 * index and skipped, or, with `atomic`, nothing is stored. Valid events are stored in one
 * transaction, so a batch is never half-written.
 */
export async function ingestEvents(
  db: Database,
  raw: readonly unknown[],
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  const { valid, rejected } = validateEvents(raw);
  const users = await resolveUsers(
    db,
    valid.map((v) => v.event),
  );
  for (const { index, event } of valid) {
    for (const [field, email] of userReferences(event)) {
      if (!users.has(email.toLowerCase())) {
        rejected.push({
          index,
          path: `events[${index}].${field}`,
          message: `No Parley user has the e-mail ${email}`,
        });
      }
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  const rejectedIndexes = new Set(rejected.map((r) => r.index));
  if (opts.atomic && rejected.length > 0)
    return { accepted: 0, duplicates: 0, rejected, conversationIds: [] };

  // The first occurrence of an id wins; a repeat inside the batch is a duplicate like a replay.
  const seen = new Set<string>();
  const events: IngestEvent[] = [];
  for (const { index, event } of valid) {
    if (rejectedIndexes.has(index)) continue;
    if (!seen.has(event.id)) events.push(event);
    seen.add(event.id);
  }
  const storable = valid.filter((v) => !rejectedIndexes.has(v.index)).length;
  if (events.length === 0) return { accepted: 0, duplicates: storable, rejected, conversationIds: [] };

  return inTransaction(db, async (trx) => {
    const fresh = await recordEvents(trx, events);
    const conversationIds = fresh.length > 0 ? await applyEvents(trx, fresh, users) : [];
    await notifyConversations(trx, conversationIds);
    return {
      accepted: fresh.length,
      duplicates: storable - fresh.length,
      rejected,
      conversationIds,
    };
  });
}

async function resolveUsers(db: Database | Trx, events: IngestEvent[]): Promise<Map<string, string>> {
  const emails = [
    ...new Set(events.flatMap((e) => userReferences(e).map(([, email]) => email.toLowerCase()))),
  ];
  return lookupUsers(db, emails);
}

async function lookupUsers(db: Database | Trx, emails: string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["id", sql<string>`lower(email)`.as("email")])
    .where(sql<string>`lower(email)`, "in", emails)
    .execute();
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** Claims the ids: only events not seen before come back (a concurrent replay waits on the key). */
async function recordEvents(trx: Trx, events: IngestEvent[]): Promise<IngestEvent[]> {
  const rows = events.map((e) => ({
    event_id: e.id,
    type: e.type,
    session_id: e.sessionId,
    occurred_at: e.occurredAt,
    payload: e,
  }));
  const inserted = await insertRows(
    trx,
    "ingested_events",
    rows,
    "on conflict (event_id) do nothing",
    "event_id",
  );
  const fresh = new Set(inserted.map((r) => r.event_id as string));
  return events.filter((e) => fresh.has(e.id));
}

async function applyEvents(trx: Trx, events: IngestEvent[], users: Map<string, string>): Promise<string[]> {
  const byType = groupByType(events);
  const refs: References = {
    users,
    customers: await upsertCustomers(trx, events),
    dispositions: await ensureCatalog(
      trx,
      "dispositions",
      "code",
      byType("disposition.set").map((e) => [e.code, e.label ?? e.code]),
    ),
  };
  const conversations = await upsertConversations(trx, events, refs);
  const conv = (e: IngestEvent) => conversations.get(e.sessionId) as string;
  const queues = await ensureCatalog(trx, "queues", "name", [
    ...byType("queue.entered").map((e) => [e.queue, e.queue] as const),
    ...byType("lifecycle").flatMap((e) => (e.queue ? [[e.queue, e.queue] as const] : [])),
  ]);

  await insertRows(
    trx,
    "messages",
    byType("message").map((e) => ({
      conversation_id: conv(e),
      seq: e.seq,
      speaker: e.speaker,
      user_id: userId(refs, e.agentEmail),
      kind: e.kind ?? "text",
      body: e.body,
      sent_at: e.occurredAt,
      email_subject: e.email?.subject ?? null,
      email_from: e.email?.from ?? null,
      email_to: e.email?.to ?? null,
      email_cc: e.email?.cc ?? null,
      email_bcc: e.email?.bcc ?? null,
      pii_spans: e.piiSpans ?? [],
    })),
    "on conflict (conversation_id, seq) do nothing",
  );
  await insertRows(
    trx,
    "notes",
    byType("note.added").map((e) => ({
      source_event_id: e.id,
      conversation_id: conv(e),
      author_id: userId(refs, e.authorEmail),
      body: e.body,
      created_at: e.occurredAt,
    })),
    "on conflict (source_event_id) do nothing",
  );
  await insertRows(
    trx,
    "conversation_tags",
    byType("tag.added").map((e) => ({
      conversation_id: conv(e),
      level: e.level,
      name: e.name,
      value: e.value ?? "",
    })),
    "on conflict (conversation_id, level, name, value) do nothing",
  );
  await insertRows(
    trx,
    "conversation_events",
    byType("lifecycle").map((e) => ({
      source_event_id: e.id,
      conversation_id: conv(e),
      type: e.event,
      occurred_at: e.occurredAt,
      user_id: userId(refs, e.agentEmail),
      queue_id: e.queue ? (queues.get(e.queue) ?? null) : null,
      detail: e.detail ?? {},
    })),
    "on conflict (source_event_id) do nothing",
  );
  await writeDispositionChanges(trx, byType("disposition.set"), conv, refs);
  await writeQueues(
    trx,
    byType("queue.entered"),
    [...byType("queue.left"), ...byType("conversation.ended")],
    conv,
    queues,
  );
  await writeCallControl(trx, byType("call-control.set"), conv);
  await writeLatencyTurns(
    trx,
    byType("latency.turn"),
    [...byType("message"), ...byType("latency.turn")],
    conv,
  );
  await writeParticipants(
    trx,
    [...byType("participant.joined"), ...byType("participant.left")],
    conversations,
    users,
  );
  await writeSkills(trx, [...byType("skill.added"), ...byType("skill.removed")], conversations);
  const calls = [
    ...byType("conversation.started"),
    ...byType("conversation.updated"),
    ...byType("conversation.ended"),
  ];
  await syncRecordingsForCalls(trx, [...new Set(calls.map(conv))]);
  // After the recording rows exist; a start or an end moves the spans' offsets and open ends.
  const held = await writePausedSpans(
    trx,
    [...byType("recording.paused"), ...byType("recording.resumed"), ...calls],
    conversations,
  );
  await settlePlatformActions(trx, events, conv);
  // Search documents follow what a conversation says, in the same transaction as the words, and
  // its holds (customer speech on hold is left out, lib/conversations/hold.ts), which may come later.
  const said = [...byType("message"), ...byType("note.added"), ...byType("disposition.set")];
  await refreshSearchDocuments(trx, [...new Set([...said.map(conv), ...held])]);
  return [...new Set(conversations.values())];
}

function groupByType(events: IngestEvent[]) {
  const groups = new Map<string, IngestEvent[]>();
  for (const e of events) {
    const list = groups.get(e.type);
    if (list) list.push(e);
    else groups.set(e.type, [e]);
  }
  return <T extends IngestEvent["type"]>(type: T) => (groups.get(type) ?? []) as EventOf<T>[];
}

/** Inserts missing catalogue entries (queues, skills, dispositions) by name; returns name → id. */
async function ensureCatalog(
  trx: Trx,
  table: "queues" | "skills" | "dispositions",
  key: "name" | "code",
  entries: (readonly [string, string])[],
): Promise<Map<string, string>> {
  if (entries.length === 0) return new Map();
  const byKey = new Map(entries);
  const keys = [...byKey.keys()].sort();
  const rows = keys.map((k) => (table === "dispositions" ? { code: k, label: byKey.get(k) } : { name: k }));
  await insertRows(trx, table, rows, `on conflict (${key}) do nothing`);
  const found = await sql<{ id: string; key: string }>`
    select id, ${sql.ref(key)} as key from ${sql.table(table)} where ${sql.ref(key)} = any(${keys})`.execute(
    trx,
  );
  return new Map(found.rows.map((r) => [r.key, r.id]));
}

async function upsertCustomers(trx: Trx, events: IngestEvent[]): Promise<Map<string, string>> {
  const rows = new Map<string, { lww: LwwRow }>();
  for (const e of events) {
    const c = customerPatch(e);
    if (!c) continue;
    const row = rows.get(c.userRef) ?? { lww: new Map<string, Clocked>() };
    foldPatch(row.lww, c.patch, clockOf(e));
    rows.set(c.userRef, row);
  }
  return upsertLww(trx, customersTable, rows);
}

/** One row per conversation touched by the batch; returns session id → conversation id. */
async function upsertConversations(trx: Trx, events: IngestEvent[], refs: References) {
  const rows = new Map<string, { lww: LwwRow; extra: { started_at: string } }>();
  for (const e of events) {
    const at = new Date(e.occurredAt).toISOString();
    let row = rows.get(e.sessionId);
    if (!row) {
      row = { lww: new Map(), extra: { started_at: at } };
      rows.set(e.sessionId, row);
    } else if (at < row.extra.started_at) row.extra.started_at = at;
    foldPatch(row.lww, conversationPatch(e, refs), clockOf(e));
  }
  for (const row of rows.values()) {
    // A new row must satisfy ended_at >= started_at even if the client's clocks disagree.
    const started = (row.lww.get("started_at")?.value as string | undefined) ?? row.extra.started_at;
    const ended = row.lww.get("ended_at");
    if (ended?.value && (ended.value as string) < started) ended.value = started;
  }
  return upsertLww(trx, conversationsTable, rows);
}

async function writeDispositionChanges(
  trx: Trx,
  events: EventOf<"disposition.set">[],
  conv: (e: IngestEvent) => string,
  refs: References,
) {
  if (events.length === 0) return;
  await insertRows(
    trx,
    "disposition_changes",
    events.map((e) => ({
      source_event_id: e.id,
      conversation_id: conv(e),
      changed_by: userId(refs, e.agentEmail),
      to_disposition_id: refs.dispositions.get(e.code),
      note: e.note ?? null,
      changed_at: e.occurredAt,
    })),
    "on conflict (source_event_id) do nothing",
  );
  // "From" is the previous change in time order, which a late event can change.
  const ids = [...new Set(events.map(conv))];
  await sql`
    update disposition_changes d set from_disposition_id = x.prev
    from (select id, lag(to_disposition_id) over (partition by conversation_id order by changed_at, source_event_id) as prev
          from disposition_changes where conversation_id = any(${ids}::uuid[])) x
    where d.id = x.id and d.from_disposition_id is distinct from x.prev`.execute(trx);
}

async function writeQueues(
  trx: Trx,
  entered: EventOf<"queue.entered">[],
  leaving: (EventOf<"queue.left"> | EventOf<"conversation.ended">)[],
  conv: (e: IngestEvent) => string,
  queues: Map<string, string>,
) {
  await insertRows(
    trx,
    "conversation_queues",
    entered.map((e) => ({
      source_event_id: e.id,
      conversation_id: conv(e),
      queue_id: queues.get(e.queue),
      entered_at: e.occurredAt,
    })),
    "on conflict (source_event_id) do nothing",
  );
  // A visit ends at the first of: a queue.left for that queue (stored, so it may have come earlier
  // or later than the visit) between entering it and entering the next queue; entering the next
  // queue; the end of the conversation.
  const ids = [...new Set([...entered, ...leaving].map(conv))];
  if (ids.length === 0) return;
  await sql`
    update conversation_queues q set left_at = x.next
    from (select v.id, coalesce(
                   (select min(ie.occurred_at) from ingested_events ie
                    where ie.session_id = v.session_id and ie.type = 'queue.left' and ie.payload ->> 'queue' = v.queue
                      and ie.occurred_at >= v.entered_at and ie.occurred_at <= coalesce(v.next_entered, 'infinity')),
                   v.next_entered, v.ended_at) as next
          from (select cq.id, cq.entered_at, c.session_id, c.ended_at, qn.name as queue,
                       lead(cq.entered_at) over (partition by cq.conversation_id
                         order by cq.entered_at, cq.source_event_id) as next_entered
                from conversation_queues cq join conversations c on c.id = cq.conversation_id
                     join queues qn on qn.id = cq.queue_id
                where cq.conversation_id = any(${ids}::uuid[])) v) x
    where q.id = x.id and q.left_at is distinct from x.next`.execute(trx);
}

async function writeCallControl(
  trx: Trx,
  events: EventOf<"call-control.set">[],
  conv: (e: IngestEvent) => string,
) {
  // Folded first: one statement may not update the same (conversation, name) twice.
  const latest = new Map<string, { conversation_id: string; name: string; value: string; set_at: string }>();
  for (const e of events) {
    const at = new Date(e.occurredAt).toISOString();
    for (const [name, value] of Object.entries(e.parameters)) {
      const key = `${conv(e)} ${name}`;
      const cur = latest.get(key);
      if (!cur || at > cur.set_at || (at === cur.set_at && value > cur.value)) {
        latest.set(key, { conversation_id: conv(e), name, value, set_at: at });
      }
    }
  }
  await insertRows(
    trx,
    "call_control_parameters",
    [...latest.values()],
    `on conflict (conversation_id, name) do update set value = excluded.value, set_at = excluded.set_at
     where call_control_parameters.set_at is null or excluded.set_at > call_control_parameters.set_at
        or (excluded.set_at = call_control_parameters.set_at and excluded.value collate "C" > call_control_parameters.value)`,
  );
}

const LATENCY_FIELDS = {
  userStoppedSpeakingAt: "user_stopped_speaking_at",
  asrTranscriptAt: "asr_transcript_at",
  transcriptSentAt: "transcript_sent_at",
  botResponseAt: "bot_response_at",
  ttsRequestAt: "tts_request_at",
  ttsFirstByteAt: "tts_first_byte_at",
  firstAudioHeardAt: "first_audio_heard_at",
} as const;

async function writeLatencyTurns(
  trx: Trx,
  events: EventOf<"latency.turn">[],
  touching: IngestEvent[],
  conv: (e: IngestEvent) => string,
) {
  // A turn's timestamps may come in several events: merged per field, latest event wins.
  const turns = new Map<string, { lww: LwwRow; conversation_id: string; turn_index: number }>();
  for (const e of events) {
    const key = `${conv(e)} ${e.turnIndex}`;
    const turn = turns.get(key) ?? { lww: new Map(), conversation_id: conv(e), turn_index: e.turnIndex };
    const patch: Record<string, Scalar> = {};
    if (e.messageSeq !== undefined) patch.message_seq = e.messageSeq;
    for (const [field, column] of Object.entries(LATENCY_FIELDS)) {
      const value = e[field as keyof typeof LATENCY_FIELDS];
      if (value) patch[column] = value;
    }
    foldPatch(turn.lww, patch, clockOf(e));
    turns.set(key, turn);
  }
  const columns = ["message_seq", ...Object.values(LATENCY_FIELDS)];
  await insertRows(
    trx,
    "latency_turns",
    [...turns.values()].map((t) => ({
      conversation_id: t.conversation_id,
      turn_index: t.turn_index,
      ...Object.fromEntries(columns.map((c) => [c, t.lww.get(c)?.value ?? null])),
    })),
    `on conflict (conversation_id, turn_index) do update set ${columns
      .map((c) => `${c} = coalesce(excluded.${c}, latency_turns.${c})`)
      .join(", ")}`,
  );
  // The list's End-to-End p90 column follows the turns, for every conversation this batch touched.
  await refreshE2eP90(trx, [...new Set([...turns.values()].map((t) => t.conversation_id))]);
  // The turn's bot message may arrive before or after the turn.
  const ids = [...new Set(touching.map(conv))];
  if (ids.length === 0) return;
  await sql`
    update latency_turns lt set message_id = m.id
    from messages m
    where lt.conversation_id = any(${ids}::uuid[]) and m.conversation_id = lt.conversation_id
      and m.seq = lt.message_seq and lt.message_id is distinct from m.id`.execute(trx);
}

/** All stored open/close marks of the given types for these sessions (this batch's included). */
async function loadMarks(trx: Trx, sessions: string[], types: [string, string]) {
  const result = await sql<{
    event_id: string;
    type: string;
    session_id: string;
    at: Date;
    payload: IngestEvent;
  }>`
    select event_id, type, session_id, occurred_at as at, payload from ingested_events
    where session_id = any(${sessions}::text[]) and type = any(${types}::text[])`.execute(trx);
  return result.rows.map((r) => ({
    session: r.session_id,
    mark: { eventId: r.event_id, at: r.at.toISOString(), open: r.type === types[0], data: r.payload },
  }));
}

function groupMarks(
  loaded: { session: string; mark: Mark<IngestEvent> }[],
  keyOf: (e: IngestEvent) => string,
) {
  const groups = new Map<string, { session: string; marks: Mark<IngestEvent>[] }>();
  for (const { session, mark } of loaded) {
    const key = `${session}\u0000${keyOf(mark.data)}`;
    const group = groups.get(key) ?? { session, marks: [] };
    group.marks.push(mark);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function writeParticipants(
  trx: Trx,
  events: (EventOf<"participant.joined"> | EventOf<"participant.left">)[],
  conversations: Map<string, string>,
  users: Map<string, string>,
) {
  if (events.length === 0) return;
  const sessions = [...new Set(events.map((e) => e.sessionId))];
  const loaded = await loadMarks(trx, sessions, ["participant.joined", "participant.left"]);
  const emailOf = (e: IngestEvent) => ("agentEmail" in e && e.agentEmail ? e.agentEmail.toLowerCase() : "");
  // Marks from earlier batches may name users this batch did not look up.
  const missing = [...new Set(loaded.map((l) => emailOf(l.mark.data)))].filter((e) => !users.has(e));
  const allUsers = new Map([...users, ...(await lookupUsers(trx, missing))]);
  const rows = groupMarks(loaded, emailOf).flatMap(({ session, marks }) =>
    pairMarks(marks).map(({ open, close }) => {
      const joined = open.data as EventOf<"participant.joined">;
      const left = close?.data as EventOf<"participant.left"> | undefined;
      return {
        source_event_id: open.eventId,
        conversation_id: conversations.get(session),
        user_id: allUsers.get(emailOf(joined)),
        role: joined.role ?? "agent",
        joined_at: open.at,
        left_at: close?.at ?? null,
        exit_reason: left?.exitReason ?? null,
        exit_description: left?.exitDescription ?? null,
      };
    }),
  );
  await insertRows(
    trx,
    "conversation_participants",
    rows.filter((r) => r.user_id),
    `on conflict (source_event_id) do update set left_at = excluded.left_at, exit_reason = excluded.exit_reason,
       exit_description = excluded.exit_description`,
  );
}

async function writeSkills(
  trx: Trx,
  events: (EventOf<"skill.added"> | EventOf<"skill.removed">)[],
  conversations: Map<string, string>,
) {
  if (events.length === 0) return;
  const sessions = [...new Set(events.map((e) => e.sessionId))];
  const loaded = await loadMarks(trx, sessions, ["skill.added", "skill.removed"]);
  const skillOf = (e: IngestEvent) => ("skill" in e ? e.skill : "");
  const skills = await ensureCatalog(
    trx,
    "skills",
    "name",
    loaded.map((l) => [skillOf(l.mark.data), skillOf(l.mark.data)] as const),
  );
  const rows = groupMarks(loaded, skillOf).flatMap(({ session, marks }) =>
    pairMarks(marks).map(({ open, close }) => ({
      source_event_id: open.eventId,
      conversation_id: conversations.get(session),
      skill_id: skills.get(skillOf(open.data)),
      added_at: open.at,
      removed_at: close?.at ?? null,
    })),
  );
  await insertRows(
    trx,
    "conversation_skills",
    rows,
    "on conflict (source_event_id) do update set removed_at = excluded.removed_at",
  );
}

/**
 * recordings.paused_spans from all of a call's pause/resume marks, as ms offsets from its start; a
 * pause not resumed lasts until the call ends (open while it runs). Only calls with a recording row.
 * Returns the conversations whose spans changed.
 */
async function writePausedSpans(
  trx: Trx,
  events: IngestEvent[],
  conversations: Map<string, string>,
): Promise<string[]> {
  if (events.length === 0) return [];
  const sessions = [...new Set(events.map((e) => e.sessionId))];
  const loaded = await loadMarks(trx, sessions, ["recording.paused", "recording.resumed"]);
  const spans = groupMarks(loaded, () => "").flatMap(({ session, marks }) =>
    pairMarks(marks).map(({ open, close }) => ({
      conversation_id: conversations.get(session),
      at: open.at,
      until: close?.at ?? null,
      reason: (open.data as EventOf<"recording.paused">).reason ?? "hold",
    })),
  );
  if (spans.length === 0) return [];
  const changed = await sql<{ conversation_id: string }>`
    update recordings r set paused_spans = x.spans
    from (select s.conversation_id, jsonb_agg(jsonb_build_object(
                   'startMs', round(extract(epoch from s.at - c.started_at) * 1000)::int,
                   'endMs', round(extract(epoch from coalesce(s.until, c.ended_at) - c.started_at) * 1000)::int,
                   'reason', s.reason) order by s.at) as spans
          from jsonb_to_recordset(${JSON.stringify(spans)}::jsonb)
               as s(conversation_id uuid, at timestamptz, until timestamptz, reason text)
          join conversations c on c.id = s.conversation_id
          group by s.conversation_id) x
    where r.conversation_id = x.conversation_id and r.paused_spans is distinct from x.spans
    returning r.conversation_id`.execute(trx);
  return changed.rows.map((r) => r.conversation_id);
}
