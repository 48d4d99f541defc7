// Places acted-out conversations in time and decides the rest of their story. Conversation i draws
// only from its own random stream, so it is the same whatever the batch size or worker count.

import { createRng, type Rng, STREAM } from "../../lib/random.ts";
import type { ConversationStatus, ScreenRecordingState, Sentiment, SmartStatus } from "../types.ts";
import type { Catalog, DispositionCode, Language, Team } from "./catalog.ts";
import { NOTES, PHRASES } from "./phrases.ts";
import { type RecordingRow, recordingFor } from "./recordings.ts";
import type { Batch } from "./rows.ts";
import { CAMPAIGN_INFO, DISPOSITION_BY_TOPIC, makePlan, type Plan } from "./scenario.ts";
import { createSchedule, HOUR, MINUTE, type Schedule, SECOND } from "./schedule.ts";
import { type AudioPlan, cutAt, liveCut, perform, scaleTimeline, type Timeline } from "./timeline.ts";

export type ConversationGenerator = {
  schedule: Schedule;
  /** Conversation i's story. */
  generate: (i: number) => Story;
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
    generate(i) {
      if (i < schedule.history) {
        const rng = createRng(seed, STREAM.conversation, i);
        const slotJitter = rng.next();
        const plan = makePlan(rng, catalog);
        const tl = perform(plan, rng, catalog, agentPool);
        const start = schedule.startOf(i, slotJitter);
        // Long e-mail threads that would run past "now" are compressed into the time left.
        const room = now - 30 * MINUTE - start;
        if (tl.closedAt > room) scaleTimeline(tl, room / tl.closedAt);
        return tell(plan, tl, { rng, start, now, live: false, catalog, keepAudio: opts.audio });
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
          return tell(plan, tl, { rng, start, now, live: false, catalog, keepAudio: opts.audio });
        }
        const cut = liveCut(rng, tl);
        cutAt(tl, cut);
        if (liveSmartStatus(plan, tl) !== target && !giveUp) continue;
        return tell(plan, tl, { rng, start: now - cut, now, live: true, catalog, keepAudio: opts.audio });
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

/**
 * Everything that happened in one conversation, on absolute times: the timeline plus what was
 * decided about it (status, surveys, dispositions, notes, tags, media). Both writers read it: the
 * demo turns it into ingest events (events.ts), the benchmark loader into rows (storyRows).
 */
export type Story = {
  /** The row id the COPY loader writes (time-ordered); ingest assigns its own. */
  id: string;
  plan: Plan;
  tl: Timeline;
  start: number;
  now: number;
  live: boolean;
  sessionId: string;
  callId: string | null;
  callConversationId: string | null;
  agentConversationId: string | null;
  externalCallId: string | null;
  campaign: { name: string; instanceId: string } | null;
  status: ConversationStatus;
  smartStatus: SmartStatus;
  sentiment: Sentiment | null;
  csat: { triggered: boolean; score: number | null; comment: string | null };
  nps: { triggered: boolean; score: number | null };
  like: { triggered: boolean; liked: boolean | null };
  snoozes: { count: number; seconds: number };
  /** Set by the handling agent, sometimes revised by a supervisor (ms after the start). */
  dispositions: { at: number; by: string; code: DispositionCode; note: string | null }[];
  notes: { at: number; by: string; body: string }[];
  tags: { level: "session" | "user"; name: string; value: string }[];
  callControls: Record<string, string>;
  screen: { id: string; agentId: string; state: ScreenRecordingState; at: number } | null;
  /** The recording's fetch history (voice calls with recording on); `audio` when it may get real audio. */
  recording: { row: RecordingRow; audio: AudioPlan | null } | null;
};

function tell(
  p: Plan,
  tl: Timeline,
  ctx: { rng: Rng; start: number; now: number; live: boolean; catalog: Catalog; keepAudio: boolean },
): Story {
  const { rng, start, now, live, catalog } = ctx;
  const id = rng.uuidv7(start);
  const voice = p.channel === "voice";
  const agentInvolved = tl.parts.some((x) => x.role === "agent");
  const status = live ? "in_progress" : statusOf(p, tl);
  const sentiment = live ? (rng.chance(0.5) ? null : "neutral") : sentimentOf(rng, p, status);

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
  const dispositions: Story["dispositions"] = [];
  const notes: Story["notes"] = [];
  const acw = tl.events.find((e) => e.type === "after_call_work");
  if (finished && tl.agentId && acw) {
    let disposition: DispositionCode =
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
    dispositions.push({
      at: setAt,
      by: tl.agentId,
      code: disposition,
      note: rng.chance(0.5) ? rng.pick(NOTES) : null,
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
      dispositions.push({
        at: reviewAt,
        by: supervisor.id,
        code: revised,
        note: rng.pick(["Corrected after QA review", "Customer called back; the issue is not solved yet"]),
      });
    }
    if (rng.chance(0.35)) notes.push({ at: setAt, by: tl.agentId, body: rng.pick(NOTES) });
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
  tl.events.sort((a, b) => a.at - b.at);

  const snoozes = p.channel === "email" && finished && rng.chance(0.35) ? rng.int(1, 3) : 0;
  const snoozeSeconds = snoozes * rng.int(10, 240) * 60;
  const campaign = p.topic.kind === "campaign" ? CAMPAIGN_INFO[p.topic.campaign] : null;
  const day = new Date(start).toISOString().slice(0, 10).replaceAll("-", "");
  const sessionId = rng.uuid();
  const callId = voice ? `${rng.hex(32)}@sip.brightline.example` : null;
  const callConversationId = voice ? rng.uuid() : null;
  const agentConversationId = agentInvolved ? rng.uuid() : null;
  const externalCallId = voice ? `X-${rng.hex(24)}` : null;
  const csatComment =
    csatScore !== null && rng.chance(0.4)
      ? rng.pick(csatScore >= 4 ? book.csatPositive : book.csatNegative)
      : null;
  const finalDisposition = dispositions.at(-1)?.code ?? null;
  const story: Story = {
    id,
    plan: p,
    tl,
    start,
    now,
    live,
    sessionId,
    callId,
    callConversationId,
    agentConversationId,
    externalCallId,
    campaign: campaign ? { name: campaign.name, instanceId: `${campaign.code}-${day}` } : null,
    status,
    smartStatus: live ? liveSmartStatus(p, tl) : smartStatusOf(p, tl, status, finalDisposition),
    sentiment,
    csat: { triggered: csatTriggered, score: csatScore, comment: csatComment },
    nps: { triggered: npsTriggered, score: npsScore },
    like: { triggered: likeTriggered, liked },
    snoozes: { count: snoozes, seconds: snoozeSeconds },
    dispositions,
    notes,
    tags: tagsOf(rng, p),
    callControls: voice ? callControlsOf(rng, p) : {},
    screen: null,
    recording: null,
  };

  if (agentInvolved && p.channel !== "email" && finished && rng.chance(0.06)) {
    // Screen recordings need the agent desktop app; most demo agents never installed it.
    const recent = now - (start + tl.end) < 10 * MINUTE;
    story.screen = {
      id: rng.uuid(),
      agentId: tl.agentId ?? (tl.parts[0]?.userId as string),
      state: recent ? "generating" : rng.pick(["agent_app_missing", "agent_app_missing", "failed"] as const),
      at: start + tl.end,
    };
  } else if (agentInvolved && live && p.channel !== "email" && rng.chance(0.3) && tl.agentId) {
    story.screen = { id: rng.uuid(), agentId: tl.agentId, state: "loading", at: now };
  }

  if (voice && p.recordingEnabled) {
    const { row, audioCandidate } = recordingFor(rng, {
      startedAt: start,
      endedAt: live ? null : start + tl.end,
      now,
      pausedSpans: tl.holds,
    });
    story.recording = {
      row,
      audio:
        audioCandidate && ctx.keepAudio
          ? { durationMs: tl.end, utterances: tl.utterances, holds: tl.holds }
          : null,
    };
  }
  return story;
}

/** The story as table rows, for the COPY loader (scale.ts). */
export function storyRows(story: Story, catalog: Catalog, out: Batch): void {
  const { id, plan: p, tl, start, live, now } = story;
  const at = (rel: number) => new Date(start + rel);
  const final = story.dispositions.at(-1) ?? null;
  out.conversations.push({
    id,
    session_id: story.sessionId,
    call_id: story.callId,
    call_conversation_id: story.callConversationId,
    agent_conversation_id: story.agentConversationId,
    external_call_id: story.externalCallId,
    customer_id: p.customer.id,
    campaign_name: story.campaign?.name ?? null,
    campaign_instance_id: story.campaign?.instanceId ?? null,
    direction: p.direction,
    language: p.language,
    channel: p.channel,
    mode: p.mode,
    sentiment: story.sentiment,
    status: story.status,
    smart_status: story.smartStatus,
    started_at: at(0),
    ended_at: live ? null : at(tl.end),
    csat_score: story.csat.score,
    csat_comment: story.csat.comment,
    csat_triggered: story.csat.triggered,
    nps_score: story.nps.score,
    nps_triggered: story.nps.triggered,
    liked: story.like.liked,
    like_triggered: story.like.triggered,
    snooze_count: story.snoozes.count,
    snooze_duration_seconds: story.snoozes.seconds,
    support_agent_id: tl.agentId,
    disposition_id: final ? catalog.dispositionIds[final.code] : null,
    disposition_note: final?.note ?? null,
    recording_enabled: p.recordingEnabled,
    created_at: at(0),
    updated_at: live ? new Date(now) : at(tl.closedAt),
  });
  story.dispositions.forEach((d, index) => {
    const before = story.dispositions[index - 1];
    out.disposition_changes.push({
      conversation_id: id,
      changed_by: d.by,
      from_disposition_id: before ? catalog.dispositionIds[before.code] : null,
      to_disposition_id: catalog.dispositionIds[d.code],
      note: d.note,
      changed_at: at(d.at),
    });
  });
  for (const n of story.notes) {
    out.notes.push({ conversation_id: id, author_id: n.by, body: n.body, created_at: at(n.at) });
  }
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
  for (const t of story.tags) out.conversation_tags.push({ conversation_id: id, ...t });
  for (const [name, value] of Object.entries(story.callControls)) {
    out.call_control_parameters.push({ conversation_id: id, name, value });
  }
  if (story.screen) {
    const { id: screenId, agentId, state, at: createdAt } = story.screen;
    out.screen_recordings.push({
      id: screenId,
      conversation_id: id,
      agent_id: agentId,
      state,
      created_at: new Date(createdAt),
    });
  }
  if (story.recording) out.recordings.push({ ...story.recording.row, conversation_id: id });
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

function tagsOf(rng: Rng, p: Plan): Story["tags"] {
  const tags: Story["tags"] = [];
  const tag = (level: "session" | "user", name: string, value: string) => tags.push({ level, name, value });
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
  return tags;
}

function callControlsOf(rng: Rng, p: Plan): Record<string, string> {
  const params: Record<string, string> = {
    sttVendor: rng.pick(["deepgram", "google", "microsoft"]),
    ttsVendor: rng.pick(["elevenlabs", "google", "microsoft"]),
  };
  if (p.latencyReport) {
    // Exactly the three parameters the latency report needs.
    Object.assign(params, { notifySttLatency: "true", vadEnable: "true", vadVendor: "silero" });
  } else if (rng.chance(0.5)) {
    Object.assign(params, { vadEnable: "true", vadVendor: "webrtc" });
  } else if (rng.chance(0.3)) {
    params.notifySttLatency = "false";
  }
  return params;
}
