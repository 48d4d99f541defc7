import { sql, type Transaction } from "kysely";
import type { DB } from "../../db/types.ts";
import type { LwwRow } from "./fields.ts";

// Set-based writes: every statement takes all of a batch's rows for one table as a single jsonb
// parameter and expands it with jsonb_populate_recordset, which casts each field to the column's
// type (enums, arrays, timestamptz). One round trip per table, no 65,535-parameter ceiling.
// Table and column names below are constants from this module, never client input.

type Trx = Transaction<DB>;

export async function insertRows(
  trx: Trx,
  table: keyof DB & string,
  rows: Record<string, unknown>[],
  onConflict: string,
  returning?: string,
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].join(", ");
  const result = await sql<Record<string, unknown>>`
    insert into ${sql.raw(table)} (${sql.raw(columns)})
    select ${sql.raw(columns)} from jsonb_populate_recordset(null::${sql.raw(table)}, ${JSON.stringify(rows)}::jsonb)
    ${sql.raw(onConflict)} ${sql.raw(returning ? `returning ${returning}` : "")}`.execute(trx);
  return result.rows;
}

export type LwwTable = {
  table: "conversations" | "customers";
  key: string;
  /** Every last-writer-wins column, with the value a newly created row gets when no event set it. */
  columns: Record<string, string | null>;
  /** Replaces the merge expression of a column; `merged(col)` is the plain last-writer-wins one. */
  overrides?: Record<string, (merged: (column: string) => string) => string>;
  touch?: string;
};

const newer = (column: string) =>
  `(excluded.ingest_clock ->> '${column}') collate "C" > coalesce(t.ingest_clock ->> '${column}', '')`;
const merged = (column: string) => `case when ${newer(column)} then excluded.${column} else t.${column} end`;

/**
 * Upserts one row per key: a new row takes the event values (or the column's placeholder), an
 * existing row takes each column only where the incoming clock is newer, and keeps the newest clock
 * per column. Rows are written in key order so concurrent batches lock them in the same order.
 */
export async function upsertLww(
  trx: Trx,
  spec: LwwTable,
  rows: Map<string, { lww: LwwRow; extra?: Record<string, unknown> }>,
): Promise<Map<string, string>> {
  if (rows.size === 0) return new Map();
  const payload = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { lww, extra }]) => {
      const row: Record<string, unknown> = { [spec.key]: key, ...extra, ingest_clock: {} };
      const clock: Record<string, string> = {};
      for (const [column, { value, clock: c }] of lww) {
        row[column] = value;
        clock[column] = c;
      }
      row.ingest_clock = clock;
      return row;
    });
  const columns = Object.keys(spec.columns);
  const insertValues = columns.map((c) =>
    spec.columns[c] === null ? `r.${c}` : `coalesce(r.${c}, ${spec.columns[c]})`,
  );
  const updates = columns.map((c) => `${c} = ${spec.overrides?.[c]?.(merged) ?? merged(c)}`);
  const clockMerge = `(select coalesce(jsonb_object_agg(k, v), '{}') from (
      select key as k, max(value collate "C") as v
      from (select * from jsonb_each_text(t.ingest_clock) union all select * from jsonb_each_text(excluded.ingest_clock)) e
      group by key) m)`;
  const result = await sql<{ id: string; key: string }>`
    insert into ${sql.raw(spec.table)} as t (${sql.raw([spec.key, ...columns, "ingest_clock"].join(", "))})
    select ${sql.raw([`r.${spec.key}`, ...insertValues, "r.ingest_clock"].join(", "))}
    from jsonb_populate_recordset(null::${sql.raw(spec.table)}, ${JSON.stringify(payload)}::jsonb) r
    order by r.${sql.raw(spec.key)}
    on conflict (${sql.raw(spec.key)}) do update set
      ${sql.raw([...updates, `ingest_clock = ${clockMerge}`, ...(spec.touch ? [spec.touch] : [])].join(",\n      "))}
    returning id, ${sql.raw(spec.key)} as key`.execute(trx);
  return new Map(result.rows.map((r) => [r.key, r.id]));
}

// Where no event has set started_at yet (a placeholder made by an early message), the conversation
// starts at its earliest event; ended_at never precedes started_at (the table's check constraint).
const startedAt = () =>
  `case when ${newer("started_at")} then excluded.started_at when t.ingest_clock ? 'started_at' then t.started_at ` +
  `else least(t.started_at, excluded.started_at) end`;

export const conversationsTable: LwwTable = {
  table: "conversations",
  key: "session_id",
  columns: {
    channel: "'chat'",
    direction: "'inbound'",
    language: "'und'",
    mode: null,
    call_id: null,
    call_conversation_id: null,
    agent_conversation_id: null,
    external_call_id: null,
    customer_id: null,
    campaign_name: null,
    campaign_instance_id: null,
    recording_enabled: "true",
    sentiment: null,
    status: "'in_progress'",
    smart_status: null,
    started_at: null, // always sent: the started event's time, else the earliest event's
    ended_at: null,
    csat_triggered: "false",
    csat_score: null,
    csat_comment: null,
    nps_triggered: "false",
    nps_score: null,
    like_triggered: "false",
    liked: null,
    snooze_count: "0",
    snooze_duration_seconds: "0",
    support_agent_id: null,
    disposition_id: null,
    disposition_note: null,
  },
  overrides: {
    started_at: startedAt,
    ended_at: (m) =>
      `case when (${m("ended_at")}) is null then null else greatest(${m("ended_at")}, ${startedAt()}) end`,
  },
  touch: "updated_at = now()",
};

export const customersTable: LwwTable = {
  table: "customers",
  key: "user_ref",
  columns: { channel_user_id: null, name: null, phone: null, email: null },
};
