// Generated rows, grouped by table. Both writers (Kysely inserts for the demo, COPY for the
// benchmark data set) take a Batch and load its tables in TABLE_ORDER, which respects the foreign keys.
import type { Insertable } from "kysely";
import type { DB } from "../types.ts";

/** A latency turn points at its bot message by sequence number; the writer resolves it to the message id. */
export type LatencyTurnRow = Omit<Insertable<DB["latency_turns"]>, "message_id"> & {
  message_seq: number | null;
};

export type Batch = {
  teams: Insertable<DB["teams"]>[];
  users: Insertable<DB["users"]>[];
  queues: Insertable<DB["queues"]>[];
  skills: Insertable<DB["skills"]>[];
  dispositions: Insertable<DB["dispositions"]>[];
  customers: Insertable<DB["customers"]>[];
  conversations: Insertable<DB["conversations"]>[];
  conversation_participants: Insertable<DB["conversation_participants"]>[];
  conversation_queues: Insertable<DB["conversation_queues"]>[];
  conversation_skills: Insertable<DB["conversation_skills"]>[];
  messages: Insertable<DB["messages"]>[];
  notes: Insertable<DB["notes"]>[];
  disposition_changes: Insertable<DB["disposition_changes"]>[];
  conversation_tags: Insertable<DB["conversation_tags"]>[];
  conversation_events: Insertable<DB["conversation_events"]>[];
  latency_turns: LatencyTurnRow[];
  call_control_parameters: Insertable<DB["call_control_parameters"]>[];
  recordings: Insertable<DB["recordings"]>[];
  recording_legs: Insertable<DB["recording_legs"]>[];
  screen_recordings: Insertable<DB["screen_recordings"]>[];
};

export type TableName = keyof Batch;

export const TABLE_ORDER: readonly TableName[] = [
  "teams",
  "users",
  "queues",
  "skills",
  "dispositions",
  "customers",
  "conversations",
  "conversation_participants",
  "conversation_queues",
  "conversation_skills",
  "messages",
  "notes",
  "disposition_changes",
  "conversation_tags",
  "conversation_events",
  "latency_turns",
  "call_control_parameters",
  "recordings",
  "recording_legs",
  "screen_recordings",
];

export function emptyBatch(): Batch {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, []])) as unknown as Batch;
}

export function batchSize(batch: Batch): number {
  let n = 0;
  for (const t of TABLE_ORDER) n += batch[t].length;
  return n;
}
