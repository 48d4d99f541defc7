import { z } from "zod";
import { MAX_CLOCK_SKEW_MS, MAX_TURN_MS } from "../conversations/latency.ts";
import { int4Index } from "../db-ranges.ts";
import { CHANNELS, DIRECTIONS, SMART_STATUSES, STATUSES } from "../list-params.ts";

// The ingest contract: one zod schema per event type. The same schemas validate requests and
// generate the OpenAPI document (lib/api/openapi.ts), so the docs cannot drift from the code.
// Objects are strict (an unknown field is an error, not silently dropped) and carry no transforms,
// so their JSON Schema describes exactly what a client sends.

export const MAX_BATCH_EVENTS = 1000;

// PostgreSQL text and jsonb cannot hold U+0000; refusing it here keeps it a 422, not a 500.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching U+0000 is the point
const NO_NUL = /^[^\u0000]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// A lone UTF-16 surrogate ("\ud800") survives JSON.parse but not PostgreSQL's UTF-8 jsonb: refused too.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .regex(NO_NUL, "Must not contain U+0000")
    .refine((value) => !LONE_SURROGATE.test(value), "Must be valid Unicode (no lone surrogate)");
const name = (max = 200) => text(max).min(1);

const eventId = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, "Must be 1–128 printable ASCII characters without spaces")
  .describe("Client-supplied unique id of this event; sending it again is a no-op (idempotent).");
const sessionId = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, "Must be 1–200 printable ASCII characters without spaces")
  .describe("The platform's session id: identifies the conversation this event belongs to.");
// RFC 3339 allows offsets up to ±23:59 and any four-digit year; PostgreSQL refuses offsets beyond
// ±15:59 and year 0, and such values are no platform's clock anyway. Stored as sent, so they must be
// plausible as sent: an offset within ±14:00 (the world's widest) and an instant from 1970 to 9999.
const MAX_OFFSET_MINUTES = 14 * 60;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export function plausibleTimestamp(value: string): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return false;
  const at = Date.parse(value);
  return at >= EARLIEST && at <= LATEST;
}
const timestamp = z.iso
  .datetime({ offset: true, error: "Must be an ISO 8601 date-time with a time zone" })
  .refine(plausibleTimestamp, "Must be between 1970 and 9999 with a UTC offset within ±14:00");
const email = z.email().max(320);

// The same value lists as the conversations list filters on.
const channel = z.enum(CHANNELS);
const direction = z.enum(DIRECTIONS);
const status = z.enum(STATUSES);
const endStatus = status.exclude(["in_progress"]);
const smartStatus = z.enum(SMART_STATUSES);
export const lifecycleEventTypes = [
  "routing_initiation",
  "conversation_acceptance",
  "conversation_rejection",
  "conversation_transfer",
  "transfer_failure",
  "agent_join",
  "agent_left",
  "agent_consultation",
  "skill_change",
  "disposition_update",
  "after_call_work",
  "conversation_closure",
] as const;

const customer = z
  .object({
    userRef: name().describe(
      "Internal user id, shown instead of e-mail/phone when customer info is obscured.",
    ),
    channelUserId: text(200).optional(),
    name: text(200).optional(),
    phone: text(50).optional(),
    email: email.optional(),
  })
  .strict();

const campaign = z.object({ name: text(200).optional(), instanceId: text(200).optional() }).strict();

// Fields a conversation.started may carry and a conversation.updated may change.
const conversationFields = {
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "Must be a BCP 47 language tag such as en-US")
    .max(35),
  customer,
  campaign,
  mode: z.enum(["automation", "agent", "hybrid"]),
  callId: text(200),
  callConversationId: text(200),
  agentConversationId: text(200),
  externalCallId: text(200),
  recordingEnabled: z.boolean(),
};

function event<T extends string, S extends z.ZodRawShape>(
  type: T,
  description: string,
  shape: S,
  check?: (event: z.output<z.ZodObject<S>>, ctx: z.RefinementCtx) => void,
) {
  const object = z
    .object({ id: eventId, type: z.literal(type), sessionId, occurredAt: timestamp, ...shape })
    .strict();
  return (check ? object.superRefine(check as never) : object).meta({ id: eventSchemaId(type), description });
}

function eventSchemaId(type: string): string {
  const words = type.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${words.join("")}Event`;
}

const piiSpan = z
  .object({
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    type: name(50).describe("e.g. phone, email, card, address"),
  })
  .strict();

const message = event(
  "message",
  "One transcript entry. `seq` orders the transcript (then `occurredAt`, the time it was sent); " +
    "a (sessionId, seq) pair is written once.",
  {
    seq: int4Index,
    speaker: z.enum(["customer", "ai_agent", "agent", "supervisor_whisper", "system"]),
    kind: z
      .enum(["text", "transfer_to_agent", "transfer_to_automation", "max_no_input", "llm_error", "email"])
      .optional(),
    body: text(100_000),
    agentEmail: email.optional().describe("The agent or supervisor who wrote or spoke it, when known."),
    email: z
      .object({
        subject: text(1000).optional(),
        from: email.optional(),
        to: z.array(email).max(100).optional(),
        cc: z.array(email).max(100).optional(),
        bcc: z.array(email).max(100).optional(),
      })
      .strict()
      .optional(),
    piiSpans: z
      .array(piiSpan)
      .max(1000)
      .optional()
      .describe("Personal data in `body`, as [start, end) UTF-16 offsets."),
  },
).superRefine((m, ctx) => {
  m.piiSpans?.forEach((span, i) => {
    if (span.end <= span.start) {
      ctx.addIssue({ code: "custom", path: ["piiSpans", i, "end"], message: "Must be greater than start" });
    } else if (span.end > m.body.length) {
      ctx.addIssue({ code: "custom", path: ["piiSpans", i, "end"], message: "Must not exceed body length" });
    }
  });
});

const optionalEmailOf = (what: string) => email.optional().describe(`E-mail of the Parley user who ${what}.`);
// A supervisor action Parley asked the platform for (Join, Assign, Change Queue; see the webhook in
// lib/platform/webhook.ts): an event that carries it out names it, which confirms the action.
const actionId = z
  .uuid()
  .optional()
  .describe(
    "The `id` of the supervisor action (Parley's platform webhook) this event carries out; it marks that action confirmed.",
  );

export const eventSchemas = [
  event(
    "conversation.started",
    "A conversation began at `occurredAt`. Events for a session may arrive before this one: the " +
      "conversation is created from whatever arrives first and completed by this event.",
    {
      channel,
      direction,
      ...conversationFields,
      customer: customer.optional(),
      campaign: campaign.optional(),
      mode: conversationFields.mode.optional(),
      callId: conversationFields.callId.optional(),
      callConversationId: conversationFields.callConversationId.optional(),
      agentConversationId: conversationFields.agentConversationId.optional(),
      externalCallId: conversationFields.externalCallId.optional(),
      recordingEnabled: conversationFields.recordingEnabled.optional(),
    },
  ),
  event(
    "conversation.updated",
    "Changes descriptive fields. Each field keeps the value of the latest event (by occurredAt) that set it.",
    {
      channel: channel.optional(),
      direction: direction.optional(),
      language: conversationFields.language.optional(),
      customer: customer.optional(),
      campaign: campaign.optional(),
      mode: conversationFields.mode.optional(),
      callId: conversationFields.callId.optional(),
      callConversationId: conversationFields.callConversationId.optional(),
      agentConversationId: conversationFields.agentConversationId.optional(),
      externalCallId: conversationFields.externalCallId.optional(),
      recordingEnabled: conversationFields.recordingEnabled.optional(),
      sentiment: z.enum(["positive", "neutral", "negative", "mixed"]).nullable().optional(),
      supportAgentEmail: email.nullable().optional(),
      snoozeCount: z.number().int().min(0).max(1_000_000).optional(),
      snoozeDurationSeconds: z.number().int().min(0).max(100_000_000).optional(),
    },
  ),
  event("conversation.ended", "The conversation ended at `occurredAt` with this final status.", {
    status: endStatus.optional().describe("Defaults to completed."),
    smartStatus: smartStatus.optional(),
  }),
  message,
  event("participant.joined", "A Parley user joined at `occurredAt`.", {
    agentEmail: email,
    role: z.enum(["agent", "supervisor", "consultant"]).optional().describe("Defaults to agent."),
    actionId,
  }),
  event(
    "participant.left",
    "A Parley user left at `occurredAt`; it closes their latest earlier join, even when it arrives first.",
    { agentEmail: email, exitReason: text(200).optional(), exitDescription: text(2000).optional() },
  ),
  event("queue.entered", "The conversation entered this queue (and left the previous one).", {
    queue: name(),
    actionId,
  }),
  event(
    "queue.left",
    "The conversation left this queue without entering another: an agent took it, or the customer gave " +
      "up waiting. (Entering the next queue, or the end of the conversation, leaves it too.)",
    { queue: name() },
  ),
  event(
    "recording.paused",
    "The call recording stopped at `occurredAt`: the call was put on hold, or the recording was paused " +
      "(e.g. while card details are given). The transcript notes the gap. Customer messages timed inside a " +
      "hold are not shown, exported or found by search, also when this event arrives after them.",
    { reason: z.enum(["hold", "pause"]).optional().describe("Defaults to hold.") },
  ),
  event(
    "recording.resumed",
    "The recording started again (closes the latest pause; a pause never resumed lasts until the call ends).",
    {},
  ),
  event("skill.added", "A required skill was added.", { skill: name() }),
  event("skill.removed", "A required skill was removed.", { skill: name() }),
  event("status.changed", "Status and/or SmartStatus changed.", {
    status: status.optional(),
    smartStatus: smartStatus.nullable().optional(),
  }),
  event("csat.triggered", "The CSAT survey was offered.", {}),
  event("csat.answered", "The customer answered the CSAT survey.", {
    score: z.number().int().min(1).max(5),
    comment: text(5000).optional(),
  }),
  event("nps.triggered", "The NPS question was asked.", {}),
  event("nps.answered", "The customer answered the NPS question.", {
    score: z.number().int().min(0).max(10),
  }),
  event("like.triggered", "The like/dislike prompt was shown.", {}),
  event("like.answered", "The customer liked (true) or disliked (false) the conversation.", {
    liked: z.boolean(),
  }),
  event("disposition.set", "A disposition code was set (unknown codes are added to the catalogue).", {
    code: name(100),
    label: name().optional(),
    note: text(5000).optional(),
    agentEmail: optionalEmailOf("set it"),
  }),
  event("note.added", "A note was added to the conversation.", {
    body: text(20_000).min(1),
    authorEmail: optionalEmailOf("wrote it"),
  }),
  event("tag.added", "A session- or user-level tag.", {
    level: z.enum(["session", "user"]),
    name: name(),
    value: text(1000).optional(),
  }),
  event("lifecycle", "One of the 12 lifecycle events shown in the Events tab.", {
    event: z.enum(lifecycleEventTypes),
    agentEmail: optionalEmailOf("it concerns"),
    queue: name().optional(),
    detail: z
      .record(name(100), z.union([text(2000), z.number(), z.boolean(), z.null()]))
      .optional()
      .describe("Free-form key/value detail."),
    actionId,
  }),
  event(
    "action.failed",
    "The platform could not carry out a supervisor action Parley asked for (its webhook `id`); the " +
      "action shows as failed with this reason, unless an event already confirmed it.",
    { actionId: z.uuid(), reason: text(2000).min(1) },
  ),
  event(
    "latency.turn",
    "Timestamps of one voice turn (send them together or in several events); the API computes ASR, " +
      "Bot, TTS and end-to-end latency from them.",
    {
      turnIndex: z.number().int().min(0).max(1_000_000),
      messageSeq: int4Index.optional().describe("The bot message's seq."),
      userStoppedSpeakingAt: timestamp.optional(),
      asrTranscriptAt: timestamp.optional(),
      transcriptSentAt: timestamp.optional(),
      botResponseAt: timestamp.optional(),
      ttsRequestAt: timestamp.optional(),
      ttsFirstByteAt: timestamp.optional(),
      firstAudioHeardAt: timestamp.optional(),
    },
    checkLatencyTurn,
  ),
  event("call-control.set", "Call control parameters (latest value per name wins).", {
    parameters: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,99}$/, "Must be a parameter name"), text(2000))
      .refine((p) => Object.keys(p).length > 0, "Must name at least one parameter"),
  }),
] as const;

/** A turn's timestamps in pipeline order; a later one may equal an earlier one (streaming), and precede it only by clock skew. */
export const LATENCY_ORDER = [
  "userStoppedSpeakingAt",
  "asrTranscriptAt",
  "transcriptSentAt",
  "botResponseAt",
  "ttsRequestAt",
  "ttsFirstByteAt",
  "firstAudioHeardAt",
] as const;
function checkLatencyTurn(
  turn: Partial<Record<(typeof LATENCY_ORDER)[number], string>>,
  ctx: z.RefinementCtx,
) {
  let previous: { field: string; at: number } | undefined;
  let first: number | undefined;
  for (const field of LATENCY_ORDER) {
    const value = turn[field];
    if (value === undefined) continue;
    const at = Date.parse(value);
    if (previous && at < previous.at - MAX_CLOCK_SKEW_MS)
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `Must not be more than ${MAX_CLOCK_SKEW_MS} ms before ${previous.field}`,
      });
    else if (first !== undefined && at - first > MAX_TURN_MS)
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: "Must be within 10 minutes of the turn's first timestamp",
      });
    first ??= at;
    previous = { field, at };
  }
}

export const ingestEventSchema = z.discriminatedUnion("type", eventSchemas).meta({
  id: "IngestEvent",
  description: "One event; `type` selects the shape.",
});
export type IngestEvent = z.infer<typeof ingestEventSchema>;
export type IngestEventType = IngestEvent["type"];
export type EventOf<T extends IngestEventType> = Extract<IngestEvent, { type: T }>;

export const eventTypes = eventSchemas.map((s) => s.shape.type.value) as IngestEventType[];

export const ingestBatchSchema = z
  .object({
    events: z.array(ingestEventSchema).min(1).max(MAX_BATCH_EVENTS),
  })
  .strict()
  .meta({ id: "IngestBatch", description: `Up to ${MAX_BATCH_EVENTS} events, in any order.` });

export const rejectionSchema = z
  .object({
    index: z.number().int().describe("Position of the event in `events`."),
    path: z.string().describe("The offending field, e.g. events[3].customer.email"),
    message: z.string(),
  })
  .meta({ id: "Rejection" });
export type Rejection = z.infer<typeof rejectionSchema>;

export const ingestResultSchema = z
  .object({
    accepted: z.number().int().describe("New events stored."),
    duplicates: z.number().int().describe("Events whose id was already stored (no-ops)."),
    rejected: z.array(rejectionSchema),
  })
  .meta({ id: "IngestResult" });
export type IngestResult = z.infer<typeof ingestResultSchema>;
