// Demo recording media: the worker prepares the waveform and playable audio of the newest recorded
// calls (the rest on first view), and a few agents' calls get a real screen recording (a small
// WebM), one of them still inside the ~10 minutes before it becomes available.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Kysely } from "kysely";
import type { PgBoss } from "pg-boss";
import { prepareRecordingMediaJob } from "../../lib/jobs/definitions.ts";
import { enqueue } from "../../lib/jobs/enqueue.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import type { DB } from "../types.ts";
import { DEMO_AGENT_EMAIL } from "./catalog.ts";
import { MINUTE } from "./schedule.ts";

const PREPARED = 8;
const SCREEN_RECORDINGS = 6;

export async function seedRecordingMedia(
  db: Kysely<DB>,
  opts: { blobs: BlobStore; boss?: PgBoss; now: number },
): Promise<void> {
  const { blobs, boss, now } = opts;
  const recorded = (demoAgent: boolean) =>
    db
      .selectFrom("recordings as r")
      .innerJoin("conversations as c", "c.id", "r.conversation_id")
      .innerJoin("users as u", "u.id", "c.support_agent_id")
      .where("r.state", "=", "available")
      .where("u.email", demoAgent ? "=" : "!=", DEMO_AGENT_EMAIL)
      .where("c.ended_at", "is not", null)
      .select([
        "r.id as recordingId",
        "c.id as conversationId",
        "c.support_agent_id as agentId",
        "c.ended_at as endedAt",
      ])
      .orderBy("c.started_at", "desc")
      .orderBy("c.id")
      .limit(demoAgent ? 2 : PREPARED)
      .execute();
  // The demo agent's own calls and others', so each role sees both sides of "agents only their own".
  const calls = [...(await recorded(true)), ...(await recorded(false))];

  const webm = await readFile(new URL("./assets/screen-recording.webm", import.meta.url));
  for (const [n, call] of calls.slice(0, SCREEN_RECORDINGS).entries()) {
    if (!call.agentId || !call.endedAt) continue;
    const key = `screen-recordings/${call.conversationId}/${call.agentId}.webm`;
    await blobs.put(key, webm);
    await db.deleteFrom("screen_recordings").where("conversation_id", "=", call.conversationId).execute();
    await db
      .insertInto("screen_recordings")
      .values({
        id: stableUuid(`screen-recording:${call.conversationId}`),
        conversation_id: call.conversationId,
        agent_id: call.agentId,
        state: "available",
        storage_key: key,
        size_bytes: webm.length,
        duration_ms: 4000,
        // The last one is held back as if its call had just ended ("Generating screen recording…").
        available_at: new Date(
          n === SCREEN_RECORDINGS - 1 ? now + 10 * MINUTE : call.endedAt.getTime() + 10 * MINUTE,
        ),
        created_at: call.endedAt,
      })
      .execute();
  }
  if (boss)
    for (const call of calls)
      await enqueue(boss, prepareRecordingMediaJob, { recordingId: call.recordingId });
}

/** Same input, same id: the demo data set is deterministic (tests/process/seed-coverage.test.ts). */
function stableUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
