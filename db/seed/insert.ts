// Demo-sized loading with Kysely: multi-row INSERTs in chunks, tables in foreign-key order.
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../types.ts";
import { type Batch, TABLE_ORDER } from "./rows.ts";

// PostgreSQL allows 65,535 parameters per statement; stay well below it.
const MAX_PARAMS = 30_000;

function chunks<T extends object>(rows: T[]): T[][] {
  // Kysely inserts the union of the rows' columns (absent ones as DEFAULT), so size by the union.
  const columns = new Set<string>();
  for (const row of rows) for (const key in row) columns.add(key);
  const size = Math.max(1, Math.min(5000, Math.floor(MAX_PARAMS / Math.max(1, columns.size))));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function insertBatch(db: Kysely<DB> | Transaction<DB>, batch: Batch): Promise<void> {
  const messageIds = new Map<string, string>();
  for (const table of TABLE_ORDER) {
    if (table === "messages") {
      for (const chunk of chunks(batch.messages)) {
        const ids = await db
          .insertInto("messages")
          .values(chunk)
          .returning(["id", "conversation_id", "seq"])
          .execute();
        for (const r of ids) messageIds.set(`${r.conversation_id}:${r.seq}`, r.id);
      }
    } else if (table === "latency_turns") {
      // Latency turns name their bot message by sequence number; the database assigned the ids.
      const rows = batch.latency_turns.map(({ message_seq, ...turn }) => ({
        ...turn,
        message_id:
          message_seq === null ? null : (messageIds.get(`${turn.conversation_id}:${message_seq}`) ?? null),
      }));
      for (const chunk of chunks(rows)) await db.insertInto("latency_turns").values(chunk).execute();
    } else {
      // biome-ignore lint/suspicious/noExplicitAny: one loop over every table; each Batch field is that table's Insertable
      for (const chunk of chunks<any>(batch[table])) await db.insertInto(table).values(chunk).execute();
    }
  }
}
