import type { IngestEvent } from "./schemas.ts";

// Plausible event streams for one conversation: used by the tests, the ingest benchmark and the
// `npm run simulate` traffic generator, so all three exercise every event type the same way.

export type Rng = () => number;

/** A small deterministic PRNG (mulberry32), so a seed reproduces a stream. */
export function rngFrom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

export type StreamOptions = {
  sessionId: string;
  start: Date;
  /** E-mails of existing Parley users who may join. */
  agents: readonly string[];
  rng: Rng;
  /** Transcript length; default 6–14. */
  messages?: number;
  /** Leave the conversation in progress (no end, survey, disposition). */
  open?: boolean;
};

const CUSTOMER_LINES = [
  "Hi, I was charged twice for my order.",
  "My internet keeps dropping every evening.",
  "Can I change the delivery address to 12 Elm Street?",
  "I would like to cancel my subscription.",
  "You can reach me on +1 415 555 0134.",
];
const BOT_LINES = [
  "I'm sorry to hear that. Let me look into it.",
  "Could you confirm the e-mail address on the account?",
  "Thanks, I have found your account.",
  "I'll transfer you to a colleague who can help.",
];
const QUEUES = ["Billing", "Technical Support", "Sales", "Retention"];
const SKILLS = ["english", "billing", "networking", "retention"];

/**
 * Every event of one conversation in the order a platform would send them, each `stepMs` apart on
 * average. Ids are derived from the session id, so regenerating a stream reproduces its ids.
 */
export function conversationStream(o: StreamOptions): IngestEvent[] {
  const { rng, sessionId } = o;
  let t = o.start.getTime();
  let n = 0;
  const events: IngestEvent[] = [];
  const next = (gapMs: number) => {
    t += Math.round(gapMs * (0.5 + rng()));
    return new Date(t).toISOString();
  };
  const base = (gapMs = 2000) => ({ id: `${sessionId}:${n++}`, sessionId, occurredAt: next(gapMs) });
  const channel = pick(rng, ["voice", "chat", "email"] as const);
  const agent = o.agents.length ? pick(rng, o.agents) : undefined;
  const userRef = `U-${Math.floor(rng() * 1e6)}`;

  events.push({
    ...base(0),
    type: "conversation.started",
    channel,
    direction: rng() < 0.8 ? "inbound" : "outbound",
    language: pick(rng, ["en-US", "en-GB", "de-DE", "fr-FR"]),
    customer: {
      userRef,
      name: `Customer ${userRef}`,
      phone: "+14155550134",
      email: `${userRef}@example.com`,
    },
    campaign: { name: "Spring outreach", instanceId: "c-1" },
    mode: "hybrid",
    callId: `call-${sessionId}`,
  });
  events.push({
    ...base(),
    type: "call-control.set",
    parameters: { notifySttLatency: "true", vadEnable: "true" },
  });
  events.push({ ...base(), type: "lifecycle", event: "routing_initiation", queue: pick(rng, QUEUES) });
  const queue = pick(rng, QUEUES);
  events.push({ ...base(), type: "queue.entered", queue });
  events.push({ ...base(), type: "skill.added", skill: pick(rng, SKILLS) });
  events.push({ ...base(), type: "status.changed", smartStatus: "handling" });

  const count = o.messages ?? 6 + Math.floor(rng() * 9);
  for (let seq = 0; seq < count; seq++) {
    const customerTurn = seq % 2 === 0;
    const body = customerTurn ? pick(rng, CUSTOMER_LINES) : pick(rng, BOT_LINES);
    const phone = body.indexOf("+1 415");
    const message = {
      ...base(3000),
      type: "message" as const,
      seq,
      speaker: customerTurn ? ("customer" as const) : ("ai_agent" as const),
      body,
      ...(channel === "email"
        ? { kind: "email" as const, email: { subject: "Your order", from: `${userRef}@example.com` } }
        : {}),
      ...(phone >= 0 ? { piiSpans: [{ start: phone, end: phone + 15, type: "phone" }] } : {}),
    };
    events.push(message);
    if (!customerTurn && channel === "voice") {
      const heard = Date.parse(message.occurredAt);
      const at = (offset: number) => new Date(heard - offset).toISOString();
      events.push({
        ...base(0),
        type: "latency.turn",
        turnIndex: seq >> 1,
        messageSeq: seq,
        userStoppedSpeakingAt: at(1700),
        asrTranscriptAt: at(1250),
        transcriptSentAt: at(1250),
        botResponseAt: at(400),
        ttsRequestAt: at(400),
        ttsFirstByteAt: at(0),
        firstAudioHeardAt: at(0),
      });
    }
    if (seq === 4 && channel === "voice") {
      events.push({ ...base(), type: "recording.paused", reason: "hold" });
      events.push({ ...base(20_000), type: "recording.resumed" });
    }
    if (seq === 3 && agent) {
      events.push({ ...base(), type: "lifecycle", event: "agent_join", agentEmail: agent });
      events.push({ ...base(0), type: "queue.left", queue });
      events.push({ ...base(0), type: "participant.joined", agentEmail: agent, role: "agent" });
    }
  }
  if (o.open) return events;

  if (agent) {
    events.push({
      ...base(),
      type: "note.added",
      body: "Customer verified; refund issued.",
      authorEmail: agent,
    });
    events.push({
      ...base(),
      type: "disposition.set",
      code: "resolved",
      label: "Resolved",
      agentEmail: agent,
    });
    events.push({ ...base(), type: "participant.left", agentEmail: agent, exitReason: "completed" });
  }
  events.push({ ...base(), type: "tag.added", level: "session", name: "topic", value: "billing" });
  events.push({ ...base(), type: "csat.triggered" });
  events.push({ ...base(), type: "csat.answered", score: 1 + Math.floor(rng() * 5) });
  events.push({ ...base(), type: "lifecycle", event: "conversation_closure" });
  events.push({
    ...base(),
    type: "conversation.ended",
    status: pick(rng, ["completed", "completed_user_hangup", "completed_ai_agent_hangup"] as const),
    smartStatus: "resolved",
  });
  return events;
}

/** Fisher–Yates shuffle with the given generator (a copy). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
