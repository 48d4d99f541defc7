import type { Database } from "../../db/client.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";

const QUEUES = ["Billing", "Sales", "Support"] as const;
const SMART = ["queued", "handling", "messaging", "on_hold"] as const;

/**
 * `count` conversations in progress, arriving as a platform's would (typed events through ingest,
 * batched): customer "Live Caller <tag>-<n>", a queue in turn, SmartStatus in turn, and every
 * `agentEvery`th handled by `agentEmail`. Started one second apart, the last one newest; the
 * customer's message carries the word `<tag>w<n>` (findable by search). Returns the ids in order.
 */
export async function seedLiveConversations(
  db: Database,
  opts: { count: number; tag: string; agentEmail?: string; agentEvery?: number; now?: Date },
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const BATCH = 200; // 5 events each: ingest takes up to 1,000 per call
  for (let first = 0; first < opts.count; first += BATCH) {
    const events: unknown[] = [];
    for (let n = first; n < Math.min(opts.count, first + BATCH); n++) {
      const sessionId = `live-${opts.tag}-${n}`;
      const at = new Date(now.getTime() - (opts.count - n) * 1000).toISOString();
      const base = (kind: string) => ({ id: `${sessionId}-${kind}`, sessionId, occurredAt: at });
      events.push(
        {
          ...base("start"),
          type: "conversation.started",
          channel: n % 2 ? "chat" : "voice",
          direction: "inbound",
          language: "en-US",
          customer: { userRef: `usr_${opts.tag}_${n}`, name: `Live Caller ${opts.tag}-${n}` },
        },
        { ...base("queue"), type: "queue.entered", queue: QUEUES[n % QUEUES.length] },
        { ...base("smart"), type: "status.changed", smartStatus: SMART[n % SMART.length] },
        {
          ...base("message"),
          type: "message",
          seq: 1,
          speaker: "customer",
          body: `Hello, reference ${opts.tag}w${n} please`,
        },
      );
      if (opts.agentEmail && n % (opts.agentEvery ?? 10) === 0) {
        events.push({ ...base("agent"), type: "participant.joined", agentEmail: opts.agentEmail });
      }
    }
    const result = await ingestEvents(db, events);
    if (result.rejected.length) throw new Error(`rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
  }
  const rows = await db
    .selectFrom("conversations")
    .select(["id", "session_id"])
    .where("session_id", "like", `live-${opts.tag}-%`)
    .execute();
  const bySession = new Map(rows.map((r) => [r.session_id, r.id]));
  return Array.from({ length: opts.count }, (_, n) => bySession.get(`live-${opts.tag}-${n}`) as string);
}
