import type { Database } from "../../../db/client.ts";

/** How long recordedCalls waits for the worker; a caller's timeout must allow for it. */
export const PREPARE_WAIT_MS = 150_000;

/**
 * Two seeded voice calls with playable recordings and screen recordings: one the demo agent took
 * (their own) and one they did not. Waits until the worker has prepared their media (the seed
 * queues it at start-up), so specs never race the worker.
 */
export async function recordedCalls(db: Database) {
  const demoAgent = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", "agent@parley.demo")
    .executeTakeFirstOrThrow();
  const call = (own: boolean) =>
    db
      .selectFrom("screen_recordings as s")
      .innerJoin("recordings as r", "r.conversation_id", "s.conversation_id")
      .select(["s.conversation_id as conversationId", "s.agent_id as agentId", "r.id as recordingId"])
      .where("s.state", "=", "available")
      .where("s.agent_id", own ? "=" : "!=", demoAgent.id)
      .where("s.available_at", "<", new Date())
      .where("r.state", "=", "available")
      .where(({ exists, not, selectFrom }) => {
        const joined = exists(
          selectFrom("conversation_participants as p")
            .select("p.id")
            .whereRef("p.conversation_id", "=", "s.conversation_id")
            .where("p.user_id", "=", demoAgent.id),
        );
        return own ? joined : not(joined);
      })
      // Another agent's call with a few transcript lines (the specs click one); among those, the
      // first by id, not the longest: small pages hydrate fast on a busy machine.
      .$if(!own, (q) =>
        q.where(
          (eb) =>
            eb
              .selectFrom("messages as m")
              .select(eb.fn.countAll().as("n"))
              .whereRef("m.conversation_id", "=", "s.conversation_id"),
          ">=",
          4,
        ),
      )
      .orderBy("s.conversation_id")
      .executeTakeFirstOrThrow();
  const [own, other] = [await call(true), await call(false)];
  // The worker's one ffmpeg thread prepares the seed's recordings one after another, next to the
  // specs' own downloads: on a loaded 2-core machine that can take minutes (callers allow for it).
  const deadline = Date.now() + PREPARE_WAIT_MS;
  for (const { recordingId } of [own, other]) {
    for (;;) {
      const ready = await db
        .selectFrom("recording_artifacts")
        .select("id")
        .where("recording_id", "=", recordingId)
        .where("variant", "=", "merged")
        .where("status", "=", "succeeded")
        .executeTakeFirst();
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the worker did not prepare recording ${recordingId}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { own, other };
}
