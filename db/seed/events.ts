// A conversation's story as the ingest events a platform would send for it (the API's
// POST /api/v1/events types): the demo seeder stores them with ingestEvents, exactly as a real
// integration's events are stored.
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import type { Story } from "./conversations.ts";

type Detail = Record<string, string | number | boolean | null>;

/** Every event of the story, each with a stable id derived from the session id. */
export function storyEvents(story: Story, emailOf: (userId: string) => string): IngestEvent[] {
  const { plan: p, tl, start, sessionId } = story;
  const events: IngestEvent[] = [];
  const base = (rel: number) => ({
    id: `${sessionId}:${events.length}`,
    sessionId,
    occurredAt: new Date(start + rel).toISOString(),
  });
  const agentEmail = (userId: string | null) => (userId ? { agentEmail: emailOf(userId) } : {});
  const customer = p.customer;

  events.push({
    ...base(0),
    type: "conversation.started",
    channel: p.channel,
    direction: p.direction,
    language: p.language,
    customer: {
      userRef: customer.userRef,
      channelUserId: customer.channelUserId,
      name: customer.name,
      phone: customer.phone,
      email: customer.email,
    },
    ...(story.campaign ? { campaign: story.campaign } : {}),
    mode: p.mode,
    ...(story.callId ? { callId: story.callId } : {}),
    ...(story.callConversationId ? { callConversationId: story.callConversationId } : {}),
    ...(story.agentConversationId ? { agentConversationId: story.agentConversationId } : {}),
    ...(story.externalCallId ? { externalCallId: story.externalCallId } : {}),
    recordingEnabled: p.recordingEnabled,
  });
  if (Object.keys(story.callControls).length > 0) {
    events.push({ ...base(0), type: "call-control.set", parameters: story.callControls });
  }
  for (const tag of story.tags) events.push({ ...base(0), type: "tag.added", ...tag });
  for (const k of tl.skills) events.push({ ...base(k.at), type: "skill.added", skill: k.skill });
  for (const q of tl.queues) {
    events.push({ ...base(q.enteredAt), type: "queue.entered", queue: q.queue });
    if (q.leftAt !== null) events.push({ ...base(q.leftAt), type: "queue.left", queue: q.queue });
  }
  for (const part of tl.parts) {
    const email = emailOf(part.userId);
    events.push({ ...base(part.joinedAt), type: "participant.joined", agentEmail: email, role: part.role });
    if (part.leftAt !== null) {
      events.push({
        ...base(part.leftAt),
        type: "participant.left",
        agentEmail: email,
        ...(part.exitReason ? { exitReason: part.exitReason } : {}),
        ...(part.exitDescription ? { exitDescription: part.exitDescription } : {}),
      });
    }
  }
  for (const hold of tl.holds) {
    events.push({ ...base(hold.startMs), type: "recording.paused", reason: hold.reason });
    // A live call cut while on hold is still on hold.
    if (!(story.live && hold.endMs >= tl.end))
      events.push({ ...base(hold.endMs), type: "recording.resumed" });
  }
  tl.msgs.forEach((m, index) => {
    const email = m.email;
    events.push({
      ...base(m.at),
      type: "message",
      seq: index + 1,
      speaker: m.speaker,
      kind: m.kind,
      body: m.body,
      ...agentEmail(m.userId),
      ...(email
        ? {
            email: {
              subject: email.subject,
              from: email.from,
              to: email.to,
              ...(email.cc ? { cc: email.cc } : {}),
              ...(email.bcc ? { bcc: email.bcc } : {}),
            },
          }
        : {}),
      ...(m.spans.length ? { piiSpans: m.spans } : {}),
    });
  });
  tl.latency.forEach((l, index) => {
    const [stop, asr, sent, bot, ttsReq, firstByte, heard] = l.marks.map((rel) =>
      new Date(start + rel).toISOString(),
    ) as string[];
    events.push({
      ...base(l.marks[6]),
      type: "latency.turn",
      turnIndex: index + 1,
      messageSeq: l.seq,
      userStoppedSpeakingAt: stop,
      asrTranscriptAt: asr,
      transcriptSentAt: sent,
      botResponseAt: bot,
      ttsRequestAt: ttsReq,
      ttsFirstByteAt: firstByte,
      firstAudioHeardAt: heard,
    });
  });
  for (const e of tl.events) {
    events.push({
      ...base(e.at),
      type: "lifecycle",
      event: e.type,
      ...agentEmail(e.userId),
      ...(e.queue ? { queue: e.queue } : {}),
      detail: e.detail as Detail,
    });
  }
  for (const d of story.dispositions) {
    events.push({
      ...base(d.at),
      type: "disposition.set",
      code: d.code,
      ...(d.note ? { note: d.note } : {}),
      agentEmail: emailOf(d.by),
    });
  }
  for (const n of story.notes) {
    events.push({ ...base(n.at), type: "note.added", body: n.body, authorEmail: emailOf(n.by) });
  }

  // Where it stands: the end with its final status, or, live, its SmartStatus now.
  if (story.live) {
    events.push({ ...base(tl.end), type: "status.changed", smartStatus: story.smartStatus });
  } else {
    events.push({
      ...base(tl.end),
      type: "conversation.ended",
      status: story.status as Exclude<Story["status"], "in_progress">,
      smartStatus: story.smartStatus,
    });
  }
  events.push({
    ...base(tl.closedAt),
    type: "conversation.updated",
    sentiment: story.sentiment,
    supportAgentEmail: tl.agentId ? emailOf(tl.agentId) : null,
    ...(story.snoozes.count ? { snoozeCount: story.snoozes.count } : {}),
    ...(story.snoozes.seconds ? { snoozeDurationSeconds: story.snoozes.seconds } : {}),
  });
  // Surveys are offered as the conversation ends; answered ones carry the score.
  const { csat, nps, like } = story;
  if (csat.triggered) events.push({ ...base(tl.end), type: "csat.triggered" });
  if (csat.score !== null) {
    events.push({
      ...base(tl.end),
      type: "csat.answered",
      score: csat.score,
      ...(csat.comment ? { comment: csat.comment } : {}),
    });
  }
  if (nps.triggered) events.push({ ...base(tl.end), type: "nps.triggered" });
  if (nps.score !== null) events.push({ ...base(tl.end), type: "nps.answered", score: nps.score });
  if (like.triggered) events.push({ ...base(tl.end), type: "like.triggered" });
  if (like.liked !== null) events.push({ ...base(tl.end), type: "like.answered", liked: like.liked });
  return events;
}
