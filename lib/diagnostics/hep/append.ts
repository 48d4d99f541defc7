import { sql, type Transaction } from "kysely";
import type { Database } from "../../../db/client.ts";
import type { DB } from "../../../db/types.ts";
import type { BlobStore } from "../../storage/index.ts";
import { MAX_CAPTURE_BYTES } from "../store.ts";
import { pcapHeader } from "./frames.ts";

/** Where a conversation's live (HEP) capture lives: one growing pcap per call. */
export function hepStorageKey(conversationId: string): string {
  return `captures/${conversationId}/hep.pcap`;
}

export type AppendResult = { captureId: string; sizeBytes: number } | { full: true };

/**
 * Appends pcap records to the conversation's HEP capture (created on first use) and marks it for
 * parsing; `afterAppend` runs in the same transaction (the parse job is enqueued there, so a
 * rollback takes it back). The capture row is locked for the whole append, so two collectors (two
 * workers, or a collector and a parse) never interleave their writes on one file.
 */
export async function appendHepRecords(
  db: Database,
  blobs: BlobStore,
  conversationId: string,
  records: Uint8Array[],
  afterAppend: (trx: Transaction<DB>, captureId: string) => Promise<void>,
): Promise<AppendResult> {
  return db.transaction().execute(async (trx) => {
    const key = hepStorageKey(conversationId);
    await sql`
      insert into sip_captures (conversation_id, storage_key, format, size_bytes, source)
      values (${conversationId}, ${key}, 'pcap', 0, 'hep')
      on conflict (conversation_id) where source = 'hep' do nothing`.execute(trx);
    const row = await trx
      .selectFrom("sip_captures")
      .select(["id", "storage_key"])
      .where("conversation_id", "=", conversationId)
      .where("source", "=", "hep")
      .forUpdate()
      .executeTakeFirstOrThrow();
    const before = await blobs.get(row.storage_key).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return null;
      throw err;
    });
    const head = before && before.length >= 24 ? before : pcapHeader();
    const added = records.reduce((n, r) => n + r.length, 0);
    if (head.length + added > MAX_CAPTURE_BYTES) return { full: true } as const;
    const bytes = Buffer.concat([head, ...records]);
    await blobs.put(row.storage_key, bytes);
    await trx
      .updateTable("sip_captures")
      .set({ size_bytes: bytes.length, state: "pending", error: null })
      .where("id", "=", row.id)
      .execute();
    await afterAppend(trx, row.id);
    return { captureId: row.id, sizeBytes: bytes.length };
  });
}
