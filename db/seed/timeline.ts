// A conversation acted out on a relative clock (ms after its start): what was said and when,
// who joined and left, queues, skills, lifecycle events, latency marks and, for calls, who spoke
// when (the audio plan). conversations.ts places the result in time and turns it into rows.

import type { Rng } from "../../lib/random.ts";
import type { Json, LifecycleEventType, MessageKind, ParticipantRole, Speaker } from "../types.ts";
import {
  type Catalog,
  LANGUAGE_SKILL,
  type Language,
  type QueueName,
  type SkillName,
  type StaffMember,
  type Team,
} from "./catalog.ts";
import { fill, PHRASES, type PhraseBook, type PiiSpan, WHISPERS } from "./phrases.ts";
import type { PausedSpan } from "./recordings.ts";
import { INTENT_ROUTING, type Plan } from "./scenario.ts";
import { MINUTE, SECOND } from "./schedule.ts";

const VOICE_MIN_MS = 30 * SECOND;
const VOICE_MAX_MS = 6 * MINUTE;
const SUPPORT_ADDRESS = "support@brightline.example";
const ARCHIVE_ADDRESS = "archive@brightline.example";

/** Who speaks in a recording leg; the audio renderer gives each voice key its own timbre. */
export type Utterance = {
  speaker: "customer" | "ai_agent" | "agent";
  voice: string;
  startMs: number;
  endMs: number;
};
export type AudioPlan = { durationMs: number; utterances: Utterance[]; holds: PausedSpan[] };

type Msg = {
  speaker: Speaker;
  userId: string | null;
  kind: MessageKind;
  body: string;
  spans: PiiSpan[];
  at: number;
  email?: { subject: string; from: string; to: string[]; cc: string[] | null; bcc: string[] | null };
};
type Ev = {
  type: LifecycleEventType;
  at: number;
  userId: string | null;
  queue: QueueName | null;
  detail: Json;
};
type Part = {
  userId: string;
  role: ParticipantRole;
  joinedAt: number;
  leftAt: number | null;
  exitReason: string | null;
  exitDescription: string | null;
};
type QueueVisit = { queue: QueueName; enteredAt: number; leftAt: number | null };
type Latency = { seq: number; marks: [number, number, number, number, number, number, number] };

export type Timeline = {
  msgs: Msg[];
  events: Ev[];
  parts: Part[];
  queues: QueueVisit[];
  skills: { skill: SkillName; at: number }[];
  latency: Latency[];
  utterances: Utterance[];
  holds: PausedSpan[];
  /** When the customer side ended (ended_at). */
  end: number;
  /** After-call work finished: the conversation is closed. */
  closedAt: number;
  /** The agent who handled it last (support agent). */
  agentId: string | null;
  /** The score the customer said out loud in an automated survey, if any. */
  spokenCsat: number | null;
  transferred: boolean;
};

export function perform(
  p: Plan,
  rng: Rng,
  catalog: Catalog,
  agentPool: (language: Language, team: Team) => (readonly [StaffMember, number])[],
): Timeline {
  const book: PhraseBook = PHRASES[p.language];
  const voice = p.channel === "voice";
  const tl: Timeline = {
    msgs: [],
    events: [],
    parts: [],
    queues: [],
    skills: [],
    latency: [],
    utterances: [],
    holds: [],
    end: 0,
    closedAt: 0,
    agentId: null,
    spokenCsat: null,
    transferred: false,
  };
  let t = 0;
  let lastCustomerEnd: number | null = null;
  const routing =
    p.topic.kind === "intent"
      ? INTENT_ROUTING[p.topic.intent]
      : {
          queue: "Outbound Campaigns" as QueueName,
          skill: "Sales" as SkillName,
          team: "Customer Care" as Team,
        };
  const firstQueue: QueueName =
    p.customer.tier === "platinum" && p.direction === "inbound" ? "VIP Care" : routing.queue;
  const intentLines = p.topic.kind === "intent" ? book.intents[p.topic.intent] : null;
  const campaignLines = p.topic.kind === "campaign" ? book.campaigns[p.topic.campaign] : null;

  const event = (
    type: LifecycleEventType,
    at: number,
    userId: string | null,
    queue: QueueName | null,
    detail: Json,
  ) => tl.events.push({ type, at, userId, queue, detail });

  // The last line each speaker said: nobody says the same line twice in a row (a pool offers another).
  const lastSaid = new Map<string, string>();
  const say = (
    speaker: "customer" | "ai_agent" | "agent",
    lines: string | readonly string[],
    who: StaffMember | null = null,
  ) => {
    const previous = lastSaid.get(speaker);
    const fresh = typeof lines === "string" ? [lines] : lines.filter((line) => line !== previous);
    const template = rng.pick(fresh.length > 0 ? fresh : (lines as readonly string[]));
    lastSaid.set(speaker, template);
    const { body, spans } = fill(template, { ...p.values, agent: who?.firstName ?? "" });
    let at: number;
    if (voice) {
      if (speaker === "ai_agent" && lastCustomerEnd !== null) {
        // The four latency formulas: ASR, bot, TTS and end-to-end, from the customer's last word.
        const stop = lastCustomerEnd;
        const asr = stop + (rng.chance(0.08) ? rng.int(800, 1600) : rng.int(180, 650));
        const sent = asr + rng.int(0, 15);
        const bot = sent + (rng.chance(0.08) ? rng.int(1500, 3200) : rng.int(350, 1300));
        const ttsReq = bot + rng.int(0, 25);
        const firstByte = ttsReq + rng.int(120, 480);
        const heard = firstByte + rng.int(30, 120);
        if (p.latencyReport) {
          tl.latency.push({
            seq: tl.msgs.length + 1,
            marks: [stop, asr, sent, bot, ttsReq, firstByte, heard],
          });
        }
        at = heard;
      } else {
        at =
          t + (speaker === "customer" ? rng.int(350, 1200) : speaker === "agent" ? rng.int(500, 1600) : 300);
      }
      const words = body.split(/\s+/).length;
      const end = at + words * rng.int(330, 420) + 250;
      const voiceKey =
        speaker === "customer" ? `c:${p.customer.id}` : speaker === "agent" ? `a:${who?.id}` : "ai";
      tl.utterances.push({ speaker, voice: voiceKey, startMs: at, endMs: end });
      lastCustomerEnd = speaker === "customer" ? end : null;
      t = end;
    } else {
      at =
        t +
        (speaker === "customer"
          ? rng.int(6, 45) * SECOND
          : speaker === "ai_agent"
            ? rng.int(1000, 3500)
            : rng.int(8, 70) * SECOND);
      t = at;
    }
    tl.msgs.push({ speaker, userId: who?.id ?? null, kind: "text", body, spans, at });
  };
  const system = (kind: MessageKind, body: string) => {
    t += rng.int(200, 900);
    lastCustomerEnd = null;
    tl.msgs.push({ speaker: "system", userId: null, kind, body, spans: [], at: t });
  };
  const whisper = () => {
    const supervisor = rng.pick(catalog.supervisors);
    const line = rng.pick(WHISPERS.filter((w) => w !== lastSaid.get("supervisor_whisper")));
    lastSaid.set("supervisor_whisper", line);
    t += rng.int(300, 2000);
    tl.msgs.push({
      speaker: "supervisor_whisper",
      userId: supervisor.id,
      kind: "text",
      body: line,
      spans: [],
      at: t,
    });
  };
  const join = (user: StaffMember, role: ParticipantRole, at: number): Part => {
    const part: Part = {
      userId: user.id,
      role,
      joinedAt: at,
      leftAt: null,
      exitReason: null,
      exitDescription: null,
    };
    tl.parts.push(part);
    event("agent_join", at, user.id, null, { role });
    return part;
  };
  const leave = (part: Part, at: number, reason: string, description: string) => {
    part.leftAt = at;
    part.exitReason = reason;
    part.exitDescription = description;
    event("agent_left", at, part.userId, null, { reason, description });
  };
  const pickAgent = (exclude: StaffMember | null) =>
    rng.weighted(agentPool(p.language, routing.team).filter(([a]) => a !== exclude));
  /** Routes to a queue and waits for an agent; null when the customer gives up first. */
  const route = (queue: QueueName, reason: string, exclude: StaffMember | null, waitMs?: number) => {
    const visit: QueueVisit = { queue, enteredAt: t, leftAt: null };
    tl.queues.push(visit);
    event("routing_initiation", t, null, queue, { queue, reason });
    const wait = waitMs ?? (voice ? rng.int(8, 75) * SECOND : rng.int(15, 180) * SECOND);
    if (p.outcome === "abandoned") {
      t += wait * 2;
      visit.leftAt = t;
      return null;
    }
    if (rng.chance(0.15)) {
      const rejecting = pickAgent(exclude);
      event("conversation_rejection", t + Math.floor(wait / 2), rejecting.id, queue, {
        reason: rng.pick(["Declined", "Timed out"]),
      });
    }
    t += wait;
    visit.leftAt = t;
    const agent = pickAgent(exclude);
    event("conversation_acceptance", t, agent.id, queue, { queue });
    return agent;
  };
  const addSkill = (skill: SkillName, announce: boolean) => {
    if (tl.skills.some((s) => s.skill === skill)) return;
    tl.skills.push({ skill, at: t });
    if (announce) event("skill_change", t, null, null, { added: skill });
  };
  let barge: { part: Part; leaveAt: number } | null = null;
  const finish = (extra = rng.int(800, 2500)) => {
    t += extra;
    if (voice) t = Math.max(t, VOICE_MIN_MS);
    tl.end = t;
    tl.closedAt = t;
    if (barge) leave(barge.part, Math.min(barge.leaveAt, t), "Terminated", "Supervisor left");
  };

  if (p.channel === "email") {
    performEmail(p, rng, book, tl, { route, join, leave, addSkill, event, routing, firstQueue });
    return tl;
  }

  // --- voice and chat ---
  if (p.direction === "outbound" && campaignLines) {
    // A dialer places the call and connects an agent as soon as someone answers.
    addSkill(LANGUAGE_SKILL[p.language], false);
    addSkill(routing.skill, false);
    tl.queues.push({ queue: "Outbound Campaigns", enteredAt: 0, leftAt: 2 * SECOND });
    event("routing_initiation", 0, null, "Outbound Campaigns", {
      queue: "Outbound Campaigns",
      reason: "campaign",
    });
    t = 2 * SECOND;
    const agent = pickAgent(null);
    event("conversation_acceptance", t, agent.id, "Outbound Campaigns", { queue: "Outbound Campaigns" });
    const part = join(agent, "agent", t);
    tl.agentId = agent.id;
    say("agent", campaignLines.open, agent);
    if (p.outcome === "no_answer") {
      t += rng.int(6, 9) * SECOND;
      say("agent", book.aiNoInput, agent);
      t += rng.int(6, 9) * SECOND;
      finish();
      leave(part, tl.end, "Terminated", "No answer");
    } else {
      say("customer", book.customerConfirm);
      say("agent", campaignLines.pitch, agent);
      say("customer", rng.chance(0.6) ? campaignLines.accept : campaignLines.decline);
      say("agent", book.agentClosing, agent);
      finish();
      leave(part, tl.end, "Terminated", "Agent Hangup");
    }
    afterCallWork(rng, tl, part, event);
    return tl;
  }

  if (p.channel === "chat" && p.direction === "inbound") say("customer", book.customerHello);
  if (p.mode !== "agent") {
    say("ai_agent", p.channel === "voice" ? book.aiGreetingVoice : book.aiGreetingChat);
    if (p.outcome === "no_input") {
      for (const prompt of book.aiNoInput) {
        t += rng.int(5, 7) * SECOND;
        say("ai_agent", prompt);
      }
      t += 5 * SECOND;
      system("max_no_input", "Max no-input attempts reached");
      finish();
      return tl;
    }
    say("customer", intentLines?.opener ?? book.customerHello);
    say("ai_agent", book.aiAskAccount);
    say("customer", book.customerAccount);
    say("ai_agent", book.aiVerified);
    if (intentLines) say("ai_agent", book.aiAskDetail);
    say("customer", intentLines?.detail ?? book.customerConfirm);
    if (p.outcome === "llm_error") {
      if (voice)
        system("llm_error", "LLM error detected: the realtime voice API disconnected (1011 internal error)");
      else system("text", "Integration error: the CRM lookup failed (HTTP 503). The session was ended.");
      finish();
      return tl;
    }
    if (p.mode === "automation") {
      if (p.outcome === "user_hangup") {
        finish(rng.int(1, 3) * SECOND); // the customer hung up on the assistant
        return tl;
      }
      say("ai_agent", intentLines?.resolution ?? book.aiClosing);
      if (p.outcome === "inactive") {
        t += rng.int(5, 10) * MINUTE;
        say("ai_agent", book.aiInactivity);
        finish();
        return tl;
      }
      say("customer", rng.chance(0.5) ? (intentLines?.followUp ?? book.customerThanks) : book.customerThanks);
      if (rng.chance(0.5)) {
        say("customer", book.customerQuestion);
        say("ai_agent", book.agentAnswer);
      }
      say("ai_agent", book.aiClosing);
      finish();
      return tl;
    }
    say("ai_agent", book.aiTransfer);
    system("transfer_to_agent", `User transferred to Agent (queue ${firstQueue})`);
  }

  addSkill(LANGUAGE_SKILL[p.language], false);
  addSkill(routing.skill, false);
  let agent = route(firstQueue, p.mode === "hybrid" ? "transfer_from_automation" : "inbound", null);
  if (!agent) {
    finish(); // gave up in the queue
    return tl;
  }
  let part = join(agent, "agent", t);
  // Only an agent who takes over from the assistant may refer to what the customer told it.
  say(
    "agent",
    p.mode === "agent" ? book.agentGreeting : [...book.agentGreetingAfterAssistant, ...book.agentGreeting],
    agent,
  );
  if (p.mode === "agent") {
    say("customer", intentLines?.opener ?? book.customerConfirm);
    say("agent", book.aiAskAccount, agent);
    say("customer", book.customerAccount);
    say("customer", intentLines?.detail ?? book.customerConfirm);
  } else {
    say("customer", book.customerConfirm);
  }
  say("agent", book.agentLookup, agent);
  say("customer", book.customerAck);
  if (rng.chance(0.1)) whisper();

  if (rng.chance(0.04)) {
    // The agent's client dropped; they come back on a new join (one participant row per join).
    t += rng.int(2, 5) * SECOND;
    leave(part, t, "Disconnected", "Agent network disconnect");
    t += rng.int(8, 30) * SECOND;
    part = join(agent, "agent", t);
    say("agent", book.agentBack, agent);
  }

  if (rng.chance(0.14)) {
    const target = rng.pick(
      (["Billing", "Technical Support", "Retention", "Returns & Refunds"] as const).filter(
        (q) => q !== firstQueue,
      ),
    );
    say(
      "agent",
      book.agentTransfer.map((line) => line.replace("{queue}", target)),
      agent,
    );
    event("conversation_transfer", t, agent.id, target, { fromQueue: firstQueue, toQueue: target });
    if (rng.chance(0.3)) {
      t += rng.int(5, 20) * SECOND;
      event("transfer_failure", t, agent.id, target, { toQueue: target, reason: "No agents available" });
      say("agent", book.agentBack, agent);
    } else {
      t += rng.int(1, 3) * SECOND;
      leave(part, t, "Transferred", `Transferred to ${target}`);
      tl.transferred = true;
      addSkill("Escalations", true);
      const next = route(target, "agent_transfer", agent);
      if (!next) {
        finish();
        return tl;
      }
      agent = next;
      part = join(agent, "agent", t);
      say("agent", book.agentGreeting, agent);
      say("customer", book.customerConfirm);
    }
  }

  say("agent", intentLines?.resolution ?? book.agentBack, agent);
  const hold = voice && rng.chance(0.25);
  if (hold) {
    say("agent", book.agentHold, agent);
    t += 500;
  }
  const holdStart = t;
  if (rng.chance(0.12)) {
    if (!hold) say("agent", book.agentConsult, agent);
    const consultant = pickAgent(agent);
    t += rng.int(2, 5) * SECOND;
    event("agent_consultation", t, consultant.id, null, { requestedBy: agent.id });
    const consult = join(consultant, "consultant", t);
    t += rng.int(20, 60) * SECOND;
    leave(consult, t, "Terminated", "Consultation ended");
    if (!hold) say("agent", book.agentBack, agent);
  }
  if (hold) {
    t = Math.max(t, holdStart + rng.int(15, 45) * SECOND);
    tl.holds.push({ startMs: holdStart, endMs: t, reason: "hold" });
    say("agent", book.agentUnhold, agent);
  }
  if (rng.chance(0.04)) {
    // A supervisor barges in to listen and leaves after a while, or when the call ends.
    const supervisor = rng.pick(catalog.supervisors);
    barge = { part: join(supervisor, "supervisor", t + SECOND), leaveAt: t + rng.int(30, 90) * SECOND };
  }
  say("customer", intentLines?.followUp ?? book.customerConfirm);
  if (rng.chance(0.08)) whisper();
  say("agent", book.agentAnswer, agent); // answers the follow-up
  for (const chance of [0.6, 0.3]) {
    if (!rng.chance(chance)) break;
    say("customer", book.customerQuestion);
    say("agent", book.agentAnswer, agent);
  }
  if (rng.chance(0.4)) {
    say("agent", book.agentRecap, agent);
    say("customer", book.customerAck);
  }
  say("customer", book.customerThanks);
  if (rng.chance(0.7)) {
    say("agent", book.agentAnythingElse, agent);
    say("customer", book.customerNoMore);
  }
  say("agent", book.agentClosing, agent); // the goodbye is the agent's last line
  tl.agentId = agent.id;

  if (voice && rng.chance(0.15)) {
    // Back to automation for the post-call survey; the assistant ends the call.
    system("transfer_to_automation", "User transferred to Automation (post-call survey)");
    leave(part, t, "Transferred", "Transferred to automation");
    say("ai_agent", book.aiSurvey);
    const score = rng.weighted([
      [5, 45],
      [4, 30],
      [3, 12],
      [2, 7],
      [1, 6],
    ]);
    tl.spokenCsat = score;
    say("customer", book.customerSurvey[5 - score] as string);
    say("ai_agent", book.aiClosing);
    finish();
  } else {
    finish();
    leave(part, tl.end, "Terminated", voice ? "Customer Hangup" : "Conversation closed");
  }
  if (voice && tl.end > VOICE_MAX_MS) scaleTimeline(tl, VOICE_MAX_MS / tl.end);
  afterCallWork(rng, tl, part, event);
  return tl;
}

type Actions = {
  route: (
    queue: QueueName,
    reason: string,
    exclude: StaffMember | null,
    waitMs?: number,
  ) => StaffMember | null;
  join: (user: StaffMember, role: ParticipantRole, at: number) => Part;
  leave: (part: Part, at: number, reason: string, description: string) => void;
  addSkill: (skill: SkillName, announce: boolean) => void;
  event: (
    type: LifecycleEventType,
    at: number,
    userId: string | null,
    queue: QueueName | null,
    detail: Json,
  ) => void;
  routing: { queue: QueueName; skill: SkillName };
  firstQueue: QueueName;
};

function performEmail(p: Plan, rng: Rng, book: PhraseBook, tl: Timeline, a: Actions) {
  const intentLines = p.topic.kind === "intent" ? book.intents[p.topic.intent] : null;
  const campaignLines = p.topic.kind === "campaign" ? book.campaigns[p.topic.campaign] : null;
  const baseSubject = fill(intentLines?.subject ?? campaignLines?.subject ?? "", p.values).body;
  let replies = 0;
  const send = (from: "customer" | "agent", parts: string[], at: number, agent: StaffMember | null) => {
    const filled = fill(parts.join("\n\n"), { ...p.values, agent: agent?.name ?? "" });
    const subject = replies++ === 0 ? baseSubject : `${book.replyPrefix}${baseSubject}`;
    tl.msgs.push({
      speaker: from,
      userId: agent?.id ?? null,
      kind: "email",
      body: filled.body,
      spans: filled.spans,
      at,
      email:
        from === "customer"
          ? {
              subject,
              from: p.customer.email,
              to: [SUPPORT_ADDRESS],
              cc: rng.chance(0.15) ? [`accounts@${p.customer.email.split("@")[1]}`] : null,
              bcc: null,
            }
          : {
              subject,
              from: SUPPORT_ADDRESS,
              to: [p.customer.email],
              cc: rng.chance(0.1) ? ["escalations@brightline.example"] : null,
              bcc: [ARCHIVE_ADDRESS],
            },
    });
  };
  a.addSkill(LANGUAGE_SKILL[p.language], false);
  a.addSkill(a.routing.skill, false);
  const outbound = p.direction === "outbound";
  // Inbound e-mail waits in the queue for hours; a campaign e-mail goes out minutes after the task is picked.
  const firstReply = outbound ? rng.int(6, 15) * MINUTE : rng.int(30, 20 * 60) * MINUTE;
  const queue = outbound ? "Outbound Campaigns" : a.firstQueue;
  const agent = a.route(queue, outbound ? "campaign" : "inbound", null, firstReply - 5 * MINUTE);
  if (!agent) throw new Error("e-mail conversations always reach an agent");
  const part = a.join(agent, "agent", firstReply - 5 * MINUTE);
  let t = 0;
  if (p.direction === "inbound" && intentLines) {
    send(
      "customer",
      [
        book.emailGreetingCustomer,
        `${rng.pick(intentLines.opener)} ${rng.pick(intentLines.detail)}`,
        book.emailSignoffCustomer,
      ],
      0,
      null,
    );
    t = firstReply;
    send(
      "agent",
      [book.emailGreetingAgent, rng.pick(intentLines.resolution), book.emailSignoffAgent],
      t,
      agent,
    );
    if (rng.chance(0.6)) {
      t += rng.int(60, 30 * 60) * MINUTE;
      send(
        "customer",
        [book.emailGreetingCustomer, rng.pick(intentLines.followUp), book.emailSignoffCustomer],
        t,
        null,
      );
      t += rng.int(20, 8 * 60) * MINUTE;
      send("agent", [book.emailGreetingAgent, rng.pick(book.agentClosing), book.emailSignoffAgent], t, agent);
    }
  } else if (campaignLines) {
    t = firstReply;
    send(
      "agent",
      [
        book.emailGreetingAgent,
        `${rng.pick(campaignLines.open)} ${rng.pick(campaignLines.pitch)}`,
        book.emailSignoffAgent,
      ],
      t,
      agent,
    );
    t += rng.int(60, 24 * 60) * MINUTE;
    send(
      "customer",
      [
        book.emailGreetingCustomer,
        rng.pick(rng.chance(0.6) ? campaignLines.accept : campaignLines.decline),
        book.emailSignoffCustomer,
      ],
      t,
      null,
    );
  }
  tl.agentId = agent.id;
  tl.end = t + rng.int(1, 10) * MINUTE;
  tl.closedAt = tl.end;
  a.leave(part, tl.end, "Terminated", "Conversation closed");
  afterCallWork(rng, tl, part, a.event);
}

function afterCallWork(rng: Rng, tl: Timeline, part: Part, event: Actions["event"]) {
  const leftAt = part.leftAt ?? tl.end;
  const seconds = rng.int(10, 120);
  event("after_call_work", leftAt, part.userId, null, { durationSeconds: seconds });
  tl.closedAt = Math.max(tl.end, leftAt + seconds * SECOND);
}

export function scaleTimeline(tl: Timeline, factor: number) {
  const s = (x: number) => Math.round(x * factor);
  for (const m of tl.msgs) m.at = s(m.at);
  for (const e of tl.events) e.at = s(e.at);
  for (const p of tl.parts) {
    p.joinedAt = s(p.joinedAt);
    if (p.leftAt !== null) p.leftAt = s(p.leftAt);
  }
  for (const q of tl.queues) {
    q.enteredAt = s(q.enteredAt);
    if (q.leftAt !== null) q.leftAt = s(q.leftAt);
  }
  for (const k of tl.skills) k.at = s(k.at);
  for (const l of tl.latency) l.marks = l.marks.map(s) as Latency["marks"];
  for (const u of tl.utterances) {
    u.startMs = s(u.startMs);
    u.endMs = s(u.endMs);
  }
  for (const h of tl.holds) {
    h.startMs = s(h.startMs);
    h.endMs = s(h.endMs);
  }
  tl.end = s(tl.end);
  tl.closedAt = s(tl.closedAt);
}

/** Where a live conversation stands now: on hold, or shortly after one of its messages. */
export function liveCut(rng: Rng, tl: Timeline): number {
  const hold = tl.holds[0];
  let cut: number;
  if (hold && rng.chance(0.5)) cut = Math.floor((hold.startMs + hold.endMs) / 2);
  else if (tl.msgs.length === 0)
    cut = rng.int(0, tl.end - 500); // a caller still waiting in the queue
  else {
    const m = rng.pick(tl.msgs.slice(0, Math.max(1, tl.msgs.length - 1)));
    cut = Math.min(m.at + rng.int(1, 8) * SECOND, tl.end - 500);
  }
  // Live conversations started within the last hour: a slower thread is compressed into it.
  if (cut > 50 * MINUTE) {
    scaleTimeline(tl, (50 * MINUTE) / cut);
    cut = 50 * MINUTE;
  }
  return Math.max(cut, SECOND);
}

/** Keeps what had happened by `cut` (ms after the start): the conversation is live. */
export function cutAt(tl: Timeline, cut: number) {
  tl.msgs = tl.msgs.filter((m) => m.at <= cut);
  tl.events = tl.events.filter((e) => e.at <= cut && e.type !== "after_call_work");
  tl.parts = tl.parts.filter((p) => p.joinedAt <= cut);
  for (const p of tl.parts) {
    if (p.leftAt !== null && p.leftAt > cut) {
      p.leftAt = null;
      p.exitReason = null;
      p.exitDescription = null;
    }
  }
  tl.queues = tl.queues.filter((q) => q.enteredAt <= cut);
  for (const q of tl.queues) if (q.leftAt !== null && q.leftAt > cut) q.leftAt = null;
  tl.skills = tl.skills.filter((k) => k.at <= cut);
  tl.latency = tl.latency.filter((l) => l.marks[6] <= cut);
  tl.utterances = tl.utterances.filter((u) => u.endMs <= cut);
  tl.holds = tl.holds.filter((h) => h.startMs <= cut).map((h) => ({ ...h, endMs: Math.min(h.endMs, cut) }));
  tl.end = cut;
  tl.closedAt = cut;
  // The agent still connected is the one handling it; nobody has taken it if no one is connected.
  tl.agentId = tl.parts.filter((p) => p.leftAt === null && p.role === "agent").at(-1)?.userId ?? null;
}
