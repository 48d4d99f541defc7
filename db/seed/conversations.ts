// Places acted-out conversations in time and turns them into rows. Conversation i draws only
// from its own random stream, so it is the same whatever the batch size or worker count.
import type { ConversationStatus, Sentiment, SmartStatus } from "../types.ts";
import type { Catalog, DispositionCode, Language, Team } from "./catalog.ts";
import { NOTES, PHRASES } from "./phrases.ts";
import { createRng, type Rng, STREAM } from "./random.ts";
import { type RecordingRow, recordingFor } from "./recordings.ts";
import type { Batch } from "./rows.ts";
import { CAMPAIGN_INFO, DISPOSITION_BY_TOPIC, makePlan, type Plan } from "./scenario.ts";
import { createSchedule, HOUR, MINUTE, type Schedule, SECOND } from "./schedule.ts";
import { type AudioPlan, cutAt, liveCut, perform, scaleTimeline, type Timeline } from "./timeline.ts";

/** A recent call whose recording the demo may render as audio (see recordings.ts). */
export type AudioCandidate = {
  conversationId: string;
  startedAt: number;
  supportAgentId: string | null;
  recording: RecordingRow;
  plan: AudioPlan;
};

export type ConversationGenerator = {
  schedule: Schedule;
  /** Appends conversation i's rows to `out`; returns its audio plan when it may get real audio. */
  generate: (i: number, out: Batch) => AudioCandidate | null;
};

export function createConversationGenerator(opts: {
  seed: number;
  now: number;
  total: number;
  catalog: Catalog;
  /** Keep audio plans (demo); the benchmark data set has no audio and skips the bookkeeping. */
  audio: boolean;
}): ConversationGenerator {
  const { seed, now, catalog } = opts;
  const schedule = createSchedule(now, opts.total);
  const agentPool = (language: Language, team: Team) =>
    catalog.agents
      .filter((a) => a.languages.includes(language))
      .map((a) => {
        // The demo agent gets a larger share so their scoped list is well filled (but far from everything).
        const weight = (a.team === team ? 2.5 : 1) * (a.email === "agent@parley.demo" ? 1.6 : 1);
        return [a, weight] as const;
      });

  return {
    schedule,
    generate(i, out) {
      if (i < schedule.history) {
        const rng = createRng(seed, STREAM.conversation, i);
        const slotJitter = rng.next();
        const plan = makePlan(rng, catalog);
        const tl = perform(plan, rng, catalog, agentPool);
        const start = schedule.startOf(i, slotJitter);
        // Long e-mail threads that would run past "now" are compressed into the time left.
        const room = now - 30 * MINUTE - start;
        if (tl.closedAt > room) scaleTimeline(tl, room / tl.closedAt);
        return emit(plan, tl, { rng, start, now, live: false, catalog, out, keepAudio: opts.audio });
      }
      // The last hour: every third conversation is a call that ended minutes ago (its recording is
      // waiting for, or in, the first fetch 10 minutes after the call); the others are live, cycling
      // through the states a live conversation can be in. A slot redraws until it shows its state.
      const recent = i - schedule.history;
      const finishedJustNow = recent % 3 === 2;
      const target = LIVE_STATES[(recent - Math.floor(recent / 3)) % LIVE_STATES.length] as SmartStatus;
      for (let attempt = 0; ; attempt++) {
        const rng = createRng(seed, STREAM.conversation, i, attempt);
        const plan = makePlan(rng, catalog);
        const giveUp = attempt >= 500;
        if (finishedJustNow && !(plan.channel === "voice" && plan.recordingEnabled) && !giveUp) continue;
        const tl = perform(plan, rng, catalog, agentPool);
        if (finishedJustNow) {
          const ago = [rng.int(180, 480), rng.int(630, 720), rng.int(780, 870)][
            Math.floor(recent / 3) % 3
          ] as number;
          const start = now - Math.max(tl.end + ago * SECOND, tl.closedAt + MINUTE);
          return emit(plan, tl, { rng, start, now, live: false, catalog, out, keepAudio: opts.audio });
        }
        const cut = liveCut(rng, tl);
        cutAt(tl, cut);
        if (liveSmartStatus(plan, tl) !== target && !giveUp) continue;
        return emit(plan, tl, {
          rng,
          start: now - cut,
          now,
          live: true,
          catalog,
          out,
          keepAudio: opts.audio,
        });
      }
    },
  };
}

const LIVE_STATES: readonly SmartStatus[] = [
  "handling",
  "messaging",
  "awaiting_customer",
  "on_hold",
  "queued",
];

function emit(
  p: Plan,
  tl: Timeline,
  ctx: {
    rng: Rng;
    start: number;
    now: number;
    live: boolean;
    catalog: Catalog;
    out: Batch;
    keepAudio: boolean;
  },
): AudioCandidate | null {
  const { rng, start, now, live, catalog, out } = ctx;
  const at = (rel: number) => new Date(start + rel);
  const id = rng.uuidv7(start);
  const voice = p.channel === "voice";
  const agentInvolved = tl.parts.some((x) => x.role === "agent");
  const status = live ? "in_progress" : statusOf(p, tl);
  const sentiment = live ? (rng.chance(0.5) ? null : "neutral") : sentimentOf(rng, p, status);
  const closeAt = at(tl.closedAt);

  // Surveys: triggered for many finished conversations, answered by about two thirds.
  const finished = !live;
  const engaged = finished && p.outcome !== "no_input" && p.outcome !== "no_answer";
  const spokenCsat = live ? null : tl.spokenCsat;
  const csatTriggered = spokenCsat !== null || (finished && rng.chance(engaged ? (voice ? 0.55 : 0.6) : 0.2));
  const csatScore =
    spokenCsat ?? (csatTriggered && engaged && rng.chance(0.62) ? scoreFor(rng, sentiment, 1, 5) : null);
  const npsTriggered = finished && rng.chance(engaged ? 0.3 : 0.1);
  const npsScore = npsTriggered && engaged && rng.chance(0.5) ? scoreFor(rng, sentiment, 0, 10) : null;
  const likeTriggered = finished && rng.chance(p.channel === "chat" ? 0.55 : 0.15);
  const liked =
    likeTriggered && engaged && rng.chance(0.6) ? sentiment !== "negative" && rng.chance(0.85) : null;
  const book = PHRASES[p.language];

  // Disposition: set by the handling agent during after-call work; sometimes revised by a supervisor.
  const topicKey = p.topic.kind === "intent" ? p.topic.intent : p.topic.campaign;
  let disposition: DispositionCode | null = null;
  const acw = tl.events.find((e) => e.type === "after_call_work");
  if (finished && tl.agentId && acw) {
    disposition =
      p.outcome === "no_answer"
        ? "CUSTOMER_UNREACHABLE"
        : tl.transferred && rng.chance(0.5)
          ? "ESCALATED"
          : rng.chance(0.01)
            ? "DUPLICATE"
            : rng.pick(DISPOSITION_BY_TOPIC[topicKey]);
    if (now - start > 20 * 24 * HOUR && rng.chance(0.04)) disposition = "GENERAL_INQUIRY"; // before it was retired
    const setAt =
      acw.at + Math.floor(((acw.detail as { durationSeconds: number }).durationSeconds * SECOND) / 2);
    tl.events.push({
      type: "disposition_update",
      at: setAt,
      userId: tl.agentId,
      queue: null,
      detail: { from: null, to: disposition },
    });
    out.disposition_changes.push({
      conversation_id: id,
      changed_by: tl.agentId,
      from_disposition_id: null,
      to_disposition_id: catalog.dispositionIds[disposition],
      note: null,
      changed_at: at(setAt),
    });
    const reviewAt = tl.closedAt + rng.int(1, 48) * HOUR;
    if (rng.chance(0.08) && start + reviewAt < now - MINUTE) {
      const supervisor = rng.pick(catalog.supervisors);
      const revised = rng.pick(
        (["FOLLOW_UP", "ESCALATED", "RESOLVED", "REFUND_ISSUED"] as const).filter((d) => d !== disposition),
      );
      tl.events.push({
        type: "disposition_update",
        at: reviewAt,
        userId: supervisor.id,
        queue: null,
        detail: { from: disposition, to: revised },
      });
      out.disposition_changes.push({
        conversation_id: id,
        changed_by: supervisor.id,
        from_disposition_id: catalog.dispositionIds[disposition],
        to_disposition_id: catalog.dispositionIds[revised],
        note: rng.pick(["Corrected after QA review", "Customer called back; the issue is not solved yet"]),
        changed_at: at(reviewAt),
      });
      disposition = revised;
    }
    if (rng.chance(0.35)) {
      out.notes.push({
        conversation_id: id,
        author_id: tl.agentId,
        body: rng.pick(NOTES),
        created_at: at(setAt),
      });
    }
  }
  if (finished) {
    tl.events.push({
      type: "conversation_closure",
      at: tl.closedAt,
      userId: null,
      queue: null,
      detail: { status },
    });
  }

  const snoozes = p.channel === "email" && finished && rng.chance(0.35) ? rng.int(1, 3) : 0;
  const snoozeSeconds = snoozes * rng.int(10, 240) * 60;
  const campaign = p.topic.kind === "campaign" ? CAMPAIGN_INFO[p.topic.campaign] : null;
  const day = new Date(start).toISOString().slice(0, 10).replaceAll("-", "");

  out.conversations.push({
    id,
    session_id: rng.uuid(),
    call_id: voice ? `${rng.hex(32)}@sip.brightline.example` : null,
    call_conversation_id: voice ? rng.uuid() : null,
    agent_conversation_id: agentInvolved ? rng.uuid() : null,
    external_call_id: voice ? `X-${rng.hex(24)}` : null,
    customer_id: p.customer.id,
    campaign_name: campaign?.name ?? null,
    campaign_instance_id: campaign ? `${campaign.code}-${day}` : null,
    direction: p.direction,
    language: p.language,
    channel: p.channel,
    mode: p.mode,
    sentiment,
    status,
    smart_status: live ? liveSmartStatus(p, tl) : smartStatusOf(p, tl, status, disposition),
    started_at: at(0),
    ended_at: live ? null : at(tl.end),
    csat_score: csatScore,
    csat_comment:
      csatScore !== null && rng.chance(0.4)
        ? rng.pick(csatScore >= 4 ? book.csatPositive : book.csatNegative)
        : null,
    csat_triggered: csatTriggered,
    nps_score: npsScore,
    nps_triggered: npsTriggered,
    liked,
    like_triggered: likeTriggered,
    snooze_count: snoozes,
    snooze_duration_seconds: snoozeSeconds,
    support_agent_id: tl.agentId,
    disposition_id: disposition ? catalog.dispositionIds[disposition] : null,
    disposition_note: disposition && rng.chance(0.5) ? rng.pick(NOTES) : null,
    recording_enabled: p.recordingEnabled,
    created_at: at(0),
    updated_at: live ? new Date(now) : closeAt,
  });

  tl.msgs.forEach((m, index) => {
    out.messages.push({
      conversation_id: id,
      seq: index + 1,
      speaker: m.speaker,
      user_id: m.userId,
      kind: m.kind,
      body: m.body,
      sent_at: at(m.at),
      email_subject: m.email?.subject ?? null,
      email_from: m.email?.from ?? null,
      email_to: m.email?.to ?? null,
      email_cc: m.email?.cc ?? null,
      email_bcc: m.email?.bcc ?? null,
      pii_spans: JSON.stringify(m.spans),
    });
  });
  for (const part of tl.parts) {
    out.conversation_participants.push({
      conversation_id: id,
      // A trigger sets it on insert; the COPY loader runs with triggers off, so it is written here too.
      conversation_started_at: at(0),
      user_id: part.userId,
      role: part.role,
      joined_at: at(part.joinedAt),
      left_at: part.leftAt === null ? null : at(part.leftAt),
      exit_reason: part.exitReason,
      exit_description: part.exitDescription,
    });
  }
  for (const q of tl.queues) {
    out.conversation_queues.push({
      conversation_id: id,
      queue_id: catalog.queueIds[q.queue],
      entered_at: at(q.enteredAt),
      left_at: q.leftAt === null ? null : at(q.leftAt),
    });
  }
  for (const k of tl.skills) {
    out.conversation_skills.push({
      conversation_id: id,
      skill_id: catalog.skillIds[k.skill],
      added_at: at(k.at),
      removed_at: null,
    });
  }
  tl.events.sort((a, b) => a.at - b.at);
  for (const e of tl.events) {
    out.conversation_events.push({
      conversation_id: id,
      type: e.type,
      occurred_at: at(e.at),
      user_id: e.userId,
      queue_id: e.queue ? catalog.queueIds[e.queue] : null,
      detail: JSON.stringify(e.detail),
    });
  }
  tl.latency.forEach((l, index) => {
    const [stop, asr, sent, bot, ttsReq, firstByte, heard] = l.marks.map(at) as Date[];
    out.latency_turns.push({
      conversation_id: id,
      turn_index: index + 1,
      message_seq: l.seq,
      user_stopped_speaking_at: stop,
      asr_transcript_at: asr,
      transcript_sent_at: sent,
      bot_response_at: bot,
      tts_request_at: ttsReq,
      tts_first_byte_at: firstByte,
      first_audio_heard_at: heard,
    });
  });
  emitTags(rng, p, id, out);
  if (voice) emitCallControls(rng, p, id, out);

  if (agentInvolved && p.channel !== "email" && finished && rng.chance(0.06)) {
    // Screen recordings need the agent desktop app; most demo agents never installed it.
    const recent = now - (start + tl.end) < 10 * MINUTE;
    out.screen_recordings.push({
      id: rng.uuid(),
      conversation_id: id,
      agent_id: tl.agentId ?? (tl.parts[0]?.userId as string),
      state: recent ? "generating" : rng.pick(["agent_app_missing", "agent_app_missing", "failed"] as const),
      created_at: at(tl.end),
    });
  } else if (agentInvolved && live && p.channel !== "email" && rng.chance(0.3) && tl.agentId) {
    out.screen_recordings.push({
      id: rng.uuid(),
      conversation_id: id,
      agent_id: tl.agentId,
      state: "loading",
      created_at: new Date(now),
    });
  }

  if (!voice || !p.recordingEnabled) return null;
  const { row, audioCandidate } = recordingFor(rng, {
    conversationId: id,
    startedAt: start,
    endedAt: live ? null : start + tl.end,
    now,
    pausedSpans: tl.holds,
  });
  out.recordings.push(row);
  if (!audioCandidate || !ctx.keepAudio) return null;
  return {
    conversationId: id,
    startedAt: start,
    supportAgentId: tl.agentId,
    recording: row,
    plan: { durationMs: tl.end, utterances: tl.utterances, holds: tl.holds },
  };
}

function statusOf(p: Plan, tl: Timeline): ConversationStatus {
  if (p.outcome === "llm_error") return "error";
  if (p.channel !== "voice") return "completed";
  switch (p.outcome) {
    case "no_input":
    case "no_answer":
      return "completed_drop_off";
    case "user_hangup":
    case "abandoned":
      return "completed_user_hangup";
    default: {
      // Whoever spoke last hung up: the assistant after a survey or its own resolution, else the customer.
      const lastSpeaker = tl.msgs.filter((m) => m.speaker !== "system").at(-1)?.speaker;
      return lastSpeaker === "ai_agent" ? "completed_ai_agent_hangup" : "completed_user_hangup";
    }
  }
}

function smartStatusOf(
  p: Plan,
  tl: Timeline,
  status: ConversationStatus,
  disposition: string | null,
): SmartStatus {
  if (status === "error") return "disconnected";
  switch (p.outcome) {
    case "no_input":
    case "inactive":
      return "inactive";
    case "abandoned":
    case "no_answer":
      return "abandoned";
    case "user_hangup":
      return "disconnected";
    default:
      return tl.transferred || disposition === "ESCALATED" ? "escalated" : "resolved";
  }
}

function liveSmartStatus(p: Plan, tl: Timeline): SmartStatus {
  const cut = tl.end;
  if (tl.queues.some((q) => q.leftAt === null)) return "queued";
  if (tl.holds.some((h) => h.startMs <= cut && h.endMs >= cut)) return "on_hold";
  if (p.channel === "email") return tl.msgs.at(-1)?.speaker === "agent" ? "awaiting_customer" : "handling";
  if (p.channel === "chat") return "messaging";
  return "handling";
}

function sentimentOf(rng: Rng, p: Plan, status: ConversationStatus): Sentiment {
  const troubled = status === "error" || p.outcome === "abandoned" || p.outcome === "user_hangup";
  const topic = p.topic.kind === "intent" ? p.topic.intent : null;
  return rng.choose<Sentiment>(
    troubled
      ? { negative: 60, neutral: 25, mixed: 15 }
      : topic === "cancel" || topic === "refund"
        ? { positive: 30, neutral: 30, mixed: 25, negative: 15 }
        : { positive: 55, neutral: 33, mixed: 8, negative: 4 },
  );
}

function scoreFor(rng: Rng, sentiment: Sentiment | null, min: number, max: number): number {
  const span = max - min;
  const [lo, hi] =
    sentiment === "positive"
      ? [0.75, 1]
      : sentiment === "negative"
        ? [0, 0.35]
        : sentiment === "mixed"
          ? [0.25, 0.75]
          : [0.5, 0.9];
  return min + Math.round((lo + rng.next() * (hi - lo)) * span);
}

function emitTags(rng: Rng, p: Plan, id: string, out: Batch) {
  const tag = (level: "session" | "user", name: string, value: string) =>
    out.conversation_tags.push({ conversation_id: id, level, name, value });
  tag("session", "intent", p.topic.kind === "intent" ? p.topic.intent : p.topic.campaign);
  if (rng.chance(0.5)) tag("session", "priority", rng.choose({ high: 55, low: 30, urgent: 15 }));
  if (rng.chance(0.3)) tag("session", "crm_case", `CASE-${rng.digits(6)}`);
  if (p.topic.kind === "intent" && ["order_status", "refund"].includes(p.topic.intent)) {
    tag("session", "order_id", p.values.order as string);
  }
  if (p.channel === "chat") tag("session", "entry_point", rng.pick(["web_widget", "mobile_app", "whatsapp"]));
  tag("user", "tier", p.customer.tier);
  if (p.customer.segment !== "consumer") tag("user", "segment", p.customer.segment);
  if (rng.chance(0.2)) tag("user", "loyalty_member", "yes");
  if (rng.chance(0.15)) tag("user", "preferred_contact", rng.pick(["phone", "email", "sms"]));
}

function emitCallControls(rng: Rng, p: Plan, id: string, out: Batch) {
  const param = (name: string, value: string) =>
    out.call_control_parameters.push({ conversation_id: id, name, value });
  param("sttVendor", rng.pick(["deepgram", "google", "microsoft"]));
  param("ttsVendor", rng.pick(["elevenlabs", "google", "microsoft"]));
  if (p.latencyReport) {
    // Exactly the three parameters the latency report needs.
    param("notifySttLatency", "true");
    param("vadEnable", "true");
    param("vadVendor", "silero");
  } else if (rng.chance(0.5)) {
    param("vadEnable", "true");
    param("vadVendor", "webrtc");
  } else if (rng.chance(0.3)) {
    param("notifySttLatency", "false");
  }
}
