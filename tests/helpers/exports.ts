import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import type { PgBoss } from "pg-boss";
import yauzl from "yauzl";
import type { Database } from "../../db/client.ts";
import type { UserViewer } from "../../lib/auth/scope.ts";
import { buildExportFile } from "../../lib/exports/build.ts";
import type { ConversationExportKind, ExportSelection } from "../../lib/exports/kinds.ts";
import { openExportDownload, requestExport } from "../../lib/exports/requests.ts";
import type { BlobStore } from "../../lib/storage/index.ts";

// Reads export files back with independent parsers (csv-parse, yauzl), and inserts the small
// conversations export tests need.

/** An export requested, built by the worker's code and opened for download as `viewer`: its file. */
export async function exportFile(
  env: { db: Database; boss: PgBoss; blobs: BlobStore },
  viewer: UserViewer,
  kind: ConversationExportKind,
  selection: ExportSelection,
) {
  const started = await requestExport(env.db, env.boss, viewer, { kind, selection });
  await buildExportFile(env.db, env.blobs, started.id);
  const download = await openExportDownload(env.db, viewer, started.id);
  if (!download) throw new Error("export not downloadable");
  return { ...started, download, file: await env.blobs.get(download.fileKey) };
}

/** Rows of a CSV file as csv-parse reads it (BOM removed, RFC 4180 quoting). */
export function readCsv(file: Buffer): string[][] {
  const text = file.toString("utf8");
  if (!text.startsWith("\uFEFF")) throw new Error("CSV export without a UTF-8 byte-order mark");
  return parse(text.slice(1), { relaxQuotes: false, relaxColumnCount: false }) as string[][];
}

/** Every entry of a zip: name → content, in the zip's order. */
export async function readZip(file: Buffer): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(file, { lazyEntries: true });
  const entries = new Map<string, string>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
  }
  return entries;
}

export async function insertUser(db: Database, name: string, role: "admin" | "supervisor" | "agent") {
  const row = await db
    .insertInto("users")
    .values({ email: `${randomUUID()}@exports.test`, name, role })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A conversation (voice unless told), optionally joined by `agentId`, with the given messages. */
export async function insertConversation(
  db: Database,
  opts: {
    customerId?: string;
    channel?: "voice" | "chat" | "email";
    startedAt?: Date;
    agentId?: string;
    messages?: { speaker: "customer" | "ai_agent" | "agent"; body: string }[];
  } = {},
): Promise<string> {
  const startedAt = opts.startedAt ?? new Date(Date.now() - 3_600_000);
  const row = await db
    .insertInto("conversations")
    .values({
      session_id: `exp-${randomUUID()}`,
      customer_id: opts.customerId ?? null,
      direction: "inbound",
      language: "en-US",
      channel: opts.channel ?? "voice",
      status: "completed_user_hangup",
      started_at: startedAt,
      ended_at: new Date(startedAt.getTime() + 125_000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (opts.agentId) {
    await db
      .insertInto("conversation_participants")
      .values({ conversation_id: row.id, user_id: opts.agentId, role: "agent", joined_at: startedAt })
      .execute();
  }
  if (opts.messages?.length) {
    await db
      .insertInto("messages")
      .values(
        opts.messages.map((m, i) => ({
          conversation_id: row.id,
          seq: i + 1,
          speaker: m.speaker,
          body: m.body,
          sent_at: new Date(startedAt.getTime() + (i + 1) * 1000),
        })),
      )
      .execute();
  }
  return row.id;
}
