// Benchmark-sized loading: COPY … FROM STDIN in PostgreSQL's text format, table by table in
// foreign-key order (conversations first, so the children's foreign keys see them).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { type Batch, TABLE_ORDER, type TableName } from "./rows.ts";

export type CopyPayload = { table: TableName; columns: string[]; chunks: string[] }[];

const SPECIAL = /[\\\n\r\t]/;

function escapeText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t",
  );
}

function encode(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) {
    const items = v.map((x) => (x === null ? "NULL" : `"${String(x).replace(/["\\]/g, "\\$&")}"`));
    return escapeText(`{${items.join(",")}}`);
  }
  return escapeText(String(v));
}

/**
 * Serialises a batch. Messages get explicit ids from `nextMessageId` (COPY accepts values for an
 * identity column) so latency turns can point at them; the caller moves the sequence past them.
 */
export function serializeBatch(batch: Batch, nextMessageId: () => number): CopyPayload {
  const messageIds = new Map<string, number>();
  const rowsOf = (table: TableName): Record<string, unknown>[] => {
    if (table === "messages") {
      return batch.messages.map((m) => {
        const id = nextMessageId();
        messageIds.set(`${m.conversation_id}:${m.seq}`, id);
        return { id, ...m };
      });
    }
    if (table === "latency_turns") {
      return batch.latency_turns.map(({ message_seq, ...turn }) => ({
        ...turn,
        message_id:
          message_seq === null ? null : (messageIds.get(`${turn.conversation_id}:${message_seq}`) ?? null),
      }));
    }
    return batch[table] as Record<string, unknown>[];
  };
  const payload: CopyPayload = [];
  for (const table of TABLE_ORDER) {
    const rows = rowsOf(table);
    if (rows.length === 0) continue;
    // Rows of one table may omit different nullable columns: write the union.
    const seen = new Set<string>();
    for (const r of rows) for (const k in r) seen.add(k);
    const columns = [...seen];
    const chunks: string[] = [];
    let chunk = "";
    for (const row of rows) {
      let line = "";
      for (let c = 0; c < columns.length; c++) {
        if (c > 0) line += "\t";
        line += encode(row[columns[c] as string]);
      }
      chunk += `${line}\n`;
      if (chunk.length > 256 * 1024) {
        chunks.push(chunk);
        chunk = "";
      }
    }
    if (chunk) chunks.push(chunk);
    payload.push({ table, columns, chunks });
  }
  return payload;
}

/** COPYs every table of the payload on `client`, inside the transaction the caller holds. */
export async function copyPayload(client: pg.ClientBase, payload: CopyPayload): Promise<void> {
  for (const { table, columns, chunks } of payload) {
    const sql = `copy ${table} (${columns.map((c) => `"${c}"`).join(", ")}) from stdin`;
    await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
  }
}
