// npm run simulate [-- --rate 6 --duration 0 --seed N --platform-port P]
// Live demo traffic through the same ingest path integrations use: new conversations start at
// --rate per minute, exchange messages in real time (a minute or so each) and end. Writes to
// DATABASE_URL, or attaches to the embedded server `npm start` runs. --duration in seconds (0 = until Ctrl-C).
// --platform-port also plays the contact-center platform for supervisor actions: run Parley with
// PLATFORM_WEBHOOK_URL=http://127.0.0.1:P/parley/actions and the same PLATFORM_WEBHOOK_SECRET.
import { parseArgs } from "node:util";
import { createDb } from "../db/client.ts";
import { openDatabaseServer } from "../db/server.ts";
import { readEnv } from "../lib/config/env.ts";
import { conversationStream, rngFrom } from "../lib/ingest/generate.ts";
import { ingestEvents } from "../lib/ingest/index.ts";
import type { IngestEvent } from "../lib/ingest/schemas.ts";
import { renderCallLeg } from "../lib/platform/recordings.ts";
import { type PlatformSimulator, startPlatformSimulator } from "../lib/platform/simulator.ts";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "6" },
    duration: { type: "string", default: "0" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    "platform-port": { type: "string" },
  },
  strict: true,
});
const perMinute = Number(args.rate);
const durationMs = Number(args.duration) * 1000;

const env = readEnv();
const server = await openDatabaseServer(env);
const db = createDb(server.url, { max: 2, application: "parley-simulate" });
let platform: PlatformSimulator | null = null;
if (args["platform-port"]) {
  if (!env.PLATFORM_WEBHOOK_SECRET) throw new Error("--platform-port needs PLATFORM_WEBHOOK_SECRET");
  platform = await startPlatformSimulator({
    secret: env.PLATFORM_WEBHOOK_SECRET,
    port: Number(args["platform-port"]),
    ingest: (events) => ingestEvents(db, events),
    recordings: (callId, leg) => renderCallLeg(db, callId, leg),
  });
  console.log(
    `[simulate] playing the platform: PLATFORM_WEBHOOK_URL=${platform.url} RECORDING_SOURCE_URL=${platform.recordingUrl}`,
  );
}
let stopping = false;
process.on("SIGINT", () => {
  stopping = true;
});
try {
  const agents = (
    await db
      .selectFrom("users")
      .select("email")
      .where("role", "=", "agent")
      .where("deactivated_at", "is", null)
      .execute()
  ).map((u) => u.email);
  const rng = rngFrom(Number(args.seed));
  const run = `sim-${Date.now().toString(36)}`;
  console.log(`[simulate] ${perMinute} new conversations a minute, ${agents.length} agents; Ctrl-C to stop`);

  let queue: IngestEvent[] = [];
  let started = 0;
  let nextStart = Date.now();
  const began = Date.now();
  while (!stopping && (durationMs === 0 || Date.now() - began < durationMs || queue.length > 0)) {
    const now = Date.now();
    if (now >= nextStart && (durationMs === 0 || now - began < durationMs)) {
      queue.push(
        ...conversationStream({ sessionId: `${run}-${started++}`, start: new Date(now), agents, rng }),
      );
      nextStart = now + (60_000 / perMinute) * (0.5 + rng());
    }
    // Everything due is sent as one batch, as a platform's event forwarder would.
    const due = queue.filter((e) => Date.parse(e.occurredAt) <= now);
    if (due.length > 0) {
      queue = queue.filter((e) => Date.parse(e.occurredAt) > now);
      const result = await ingestEvents(db, due);
      if (result.rejected.length) console.error(`[simulate] rejected: ${JSON.stringify(result.rejected)}`);
      const ended = due.filter((e) => e.type === "conversation.ended").length;
      const begun = due.filter((e) => e.type === "conversation.started").length;
      if (begun || ended) {
        console.log(
          `[simulate] ${begun ? `started ${begun} ` : ""}${ended ? `ended ${ended} ` : ""}(${result.accepted} events)`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
} finally {
  await platform?.close();
  await db.destroy();
  await server.stop();
}
