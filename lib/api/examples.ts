import type { ConversationDetail, ConversationSummary } from "./conversations.ts";

// Examples in the OpenAPI document. The contract test (tests/integration/api-contract.test.ts)
// sends every request example, in this order, to the live handlers and checks the documented
// status and response; the examples name a demo user (agent@parley.demo) that `npm start` seeds.

export const EXAMPLE_SESSION = "demo-7f3a9c";
const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 30, s)).toISOString();
const ev = (n: number, s: number) => ({
  id: `${EXAMPLE_SESSION}-${n}`,
  sessionId: EXAMPLE_SESSION,
  occurredAt: at(s),
});

export const exampleBatch = {
  events: [
    {
      ...ev(1, 0),
      type: "conversation.started",
      channel: "voice",
      direction: "inbound",
      language: "en-US",
      customer: { userRef: "U-104233", name: "Jordan Lee", phone: "+14155550134" },
      mode: "hybrid",
      callId: "call-88121",
    },
    { ...ev(2, 2), type: "queue.entered", queue: "Billing" },
    { ...ev(3, 4), type: "message", seq: 0, speaker: "customer", body: "I was charged twice for my order." },
    {
      ...ev(4, 6),
      type: "message",
      seq: 1,
      speaker: "ai_agent",
      body: "I'm sorry to hear that. Let me connect you with a colleague.",
    },
    {
      ...ev(5, 6),
      type: "latency.turn",
      turnIndex: 0,
      messageSeq: 1,
      userStoppedSpeakingAt: "2026-11-24T09:30:04.300Z",
      asrTranscriptAt: "2026-11-24T09:30:04.750Z",
      transcriptSentAt: "2026-11-24T09:30:04.750Z",
      botResponseAt: "2026-11-24T09:30:05.600Z",
      ttsRequestAt: "2026-11-24T09:30:05.600Z",
      ttsFirstByteAt: "2026-11-24T09:30:06.000Z",
      firstAudioHeardAt: "2026-11-24T09:30:06.000Z",
    },
    { ...ev(12, 8), type: "queue.left", queue: "Billing" },
    { ...ev(13, 20), type: "recording.paused", reason: "pause" },
    { ...ev(14, 32), type: "recording.resumed" },
    { ...ev(6, 8), type: "participant.joined", agentEmail: "agent@parley.demo" },
    { ...ev(7, 40), type: "conversation.ended", status: "completed_user_hangup", smartStatus: "resolved" },
  ],
};

export const ingestExamples = {
  batch: {
    summary: "A short voice conversation",
    body: exampleBatch,
    status: 200,
    response: { accepted: 10, duplicates: 0, rejected: [] },
  },
  replay: {
    summary: "The same batch again: every event is a duplicate, nothing changes",
    body: exampleBatch,
    status: 200,
    response: { accepted: 0, duplicates: 10, rejected: [] },
  },
  "partly-invalid": {
    summary: "One invalid event: reported by index and field, the valid one is stored",
    body: {
      events: [
        { ...ev(8, 41), type: "csat.triggered" },
        { ...ev(9, 50), type: "csat.answered", score: 9 },
      ],
    },
    status: 207,
    response: {
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, path: "events[1].score", message: "Too big: expected number to be <=5" }],
    },
  },
  "atomic-rejected": {
    summary: "With ?atomic=true one invalid event rejects the batch; nothing is stored",
    atomic: "true",
    body: {
      events: [
        { ...ev(10, 55), type: "tag.added", level: "session", name: "topic", value: "billing" },
        { ...ev(11, 56), type: "note.added", body: "Refund issued", colour: "red" },
      ],
    },
    status: 422,
    response: {
      accepted: 0,
      duplicates: 0,
      rejected: [{ index: 1, path: "events[1].colour", message: 'Unrecognized key: "colour"' }],
    },
  },
  "action-confirmed": {
    summary:
      "Answering Parley's platform webhook: the event that carries out a supervisor action names its id " +
      "(confirming it); action.failed reports one that could not be carried out",
    body: {
      events: [
        {
          ...ev(90, 20),
          type: "participant.joined",
          agentEmail: "agent@parley.demo",
          actionId: "6f0d7c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
        },
        {
          ...ev(91, 21),
          type: "action.failed",
          actionId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
          reason: "The queue Escalations is closed",
        },
      ],
    },
    status: 200,
    response: { accepted: 2, duplicates: 0, rejected: [] },
  },
} as const;

const summary: ConversationSummary = {
  id: "0b9d3c64-2f0e-4f55-9a53-6f1d2c7e8a10",
  sessionId: EXAMPLE_SESSION,
  channel: "voice",
  direction: "inbound",
  language: "en-US",
  mode: "hybrid",
  status: "completed_user_hangup",
  smartStatus: "resolved",
  sentiment: null,
  startedAt: at(0),
  endedAt: at(40),
  customer: { userRef: "U-104233", name: "Jordan Lee", phone: "+14155550134", email: null, obscured: false },
  campaign: { name: null, instanceId: null },
  callIds: {
    callId: "call-88121",
    callConversationId: null,
    agentConversationId: null,
    externalCallId: null,
  },
  csat: { triggered: true, score: null, comment: null },
  nps: { triggered: false, score: null },
  like: { triggered: false, liked: null },
  disposition: null,
  agents: [{ id: "5a1f0c2e-8d4b-4b7a-9e3c-1f2a3b4c5d6e", name: "Alex Agent" }],
  queues: ["Billing"],
};

export const listExamples = {
  newest: {
    summary: "The newest conversation",
    query: { limit: "1" },
    status: 200,
    response: {
      data: [summary],
      nextCursor: "MjAyNi0xMS0yNFQwOTozMDowMC4wMDAwMDBafDBiOWQzYzY0LTJmMGUtNGY1NS05YTUzLTZmMWQyYzdlOGExMA",
    },
  },
  "completed-voice": {
    summary: "Completed (User Hangup) voice conversations started on 24 November 2026",
    query: {
      status: "completed_user_hangup",
      channel: "voice",
      from: "2026-11-24T00:00:00Z",
      to: "2026-11-25T00:00:00Z",
    },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  "oldest-inbound": {
    summary: "Inbound conversations, oldest first (the UI list's sort)",
    query: { direction: "inbound", sort: "oldest", limit: "10" },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  search: {
    summary: "Keyword search, most relevant first (the UI list's search: phrases, -exclusions, OR)",
    query: { q: '"charged twice" -chargeback', limit: "10" },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  identifier: {
    summary:
      "Identifier search: the customer's phone number in any notation (the last 6+ digits are enough) or the start of their name; q finds them too",
    query: { phone: "(415) 555-0134", customer: "jord" },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  "by-email": {
    summary: "The customer's e-mail address, whole or the part before the @ (case-insensitive)",
    query: { email: "nobody@example.com" },
    status: 200,
    response: { data: [], nextCursor: null },
  },
  "search-common-words": {
    summary: "A search of only common words finds nothing to look for: an empty page with a hint",
    query: { q: "the and of" },
    status: 200,
    response: {
      data: [],
      nextCursor: null,
      hint: "Nothing to search for: common words (such as “the” or “and”) and punctuation are ignored. Add a more specific word.",
    },
  },
  "slow-latency": {
    summary: "Voice conversations whose End-to-End latency p90 is at least 1.5 s, slowest first",
    query: { e2eP90Min: "1500", sort: "e2e_p90_desc" },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  "filter-panel": {
    summary:
      "The UI's filter panel: by id, queue name, agent e-mail, SmartStatus (any of) and a custom-tag clause",
    query: {
      ids: `${EXAMPLE_SESSION},call-88121`,
      queue: "Billing",
      agent: "agent@parley.demo",
      smart: "resolved,escalated",
      tags: JSON.stringify([["topic", "not_contains", "refund"]]),
    },
    status: 200,
    response: { data: [summary], nextCursor: null },
  },
  "too-many-clauses": {
    summary: "At most 5 custom-tag clauses",
    query: { tags: JSON.stringify(Array.from({ length: 6 }, (_, i) => ["topic", "contains", `t${i}`])) },
    status: 400,
    response: { error: "invalid_query", message: "tags: You can add up to 5 clauses.", path: "tags" },
  },
  "bad-csat": {
    summary: "CSAT scores run from 1 to 5",
    query: { csat: "4,6" },
    status: 400,
    response: {
      error: "invalid_query",
      message: "csat[1]: Invalid option: expected one of 1|2|3|4|5",
      path: "csat[1]",
    },
  },
  "bad-cursor": {
    summary: "A cursor this list did not return is refused",
    query: { cursor: "bm90LWEtY3Vyc29y" },
    status: 400,
    response: {
      error: "invalid_query",
      message: "cursor: Must be a cursor this list returned",
      path: "cursor",
    },
  },
  "bad-filter": {
    summary: "An unknown status is refused with the parameter named",
    query: { status: "finished" },
    status: 400,
    response: {
      error: "invalid_query",
      message:
        'status[0]: Invalid option: expected one of "in_progress"|"error"|"completed_drop_off"|"completed_user_hangup"|"completed_ai_agent_hangup"|"completed"',
      path: "status[0]",
    },
  },
} as const;

const detail: ConversationDetail = {
  ...summary,
  participants: [
    {
      userId: "5a1f0c2e-8d4b-4b7a-9e3c-1f2a3b4c5d6e",
      name: "Alex Agent",
      role: "agent",
      joinedAt: at(8),
      leftAt: null,
      exitReason: null,
      exitDescription: null,
    },
  ],
  skills: [],
  transcript: [
    {
      seq: 0,
      speaker: "customer",
      kind: "text",
      body: "I was charged twice for my order.",
      sentAt: at(4),
      userId: null,
      email: null,
      piiSpans: [],
    },
  ],
  events: [],
  notes: [],
  tags: [],
  callControlParameters: {},
  latency: {
    turns: [{ turnIndex: 0, messageSeq: 1, asrMs: 450, botMs: 850, ttsMs: 400, e2eMs: 1700 }],
    average: { asrMs: 450, botMs: 850, ttsMs: 400, e2eMs: 1700 },
  },
};

export const detailExamples = {
  "by-session": {
    summary: "A conversation by its session id (its uuid works too)",
    id: EXAMPLE_SESSION,
    status: 200,
    response: detail,
  },
  unknown: {
    summary: "No such conversation",
    id: "no-such-session",
    status: 404,
    response: { error: "not_found", message: 'No conversation has the id or session id "no-such-session".' },
  },
} as const;

export const authExamples = {
  401: { error: "unauthorized", message: "The API key is invalid or has been revoked." },
  403: { error: "forbidden", message: 'This API key lacks the "write" scope.' },
  413: { error: "payload_too_large", message: "The request body exceeds 1,048,576 bytes." },
} as const;

// The upload endpoints' request bodies are files, which an OpenAPI example can't carry, and their
// success responses hold generated ids: the contract test sends these (deterministic) examples, and
// tests/integration/uploads.test.ts uploads real files.
const noSession = {
  error: "not_found",
  message: 'No conversation has the id or session id "no-such-session".',
};
export const uploadExamples = {
  recordingLeg: {
    "unknown-session": {
      summary: "A source URL for a session Parley doesn't know (send its events first)",
      id: "no-such-session",
      body: {
        legIndex: 0,
        label: "customer",
        sourceUrl: "https://media.example.com/calls/no-such-session/0.wav",
      },
      status: 404,
      response: noSession,
    },
  },
  screenRecording: {
    "unknown-session": {
      summary: "A session Parley doesn't know",
      id: "no-such-session",
      status: 404,
      response: noSession,
    },
  },
  capture: {
    "unknown-session": {
      summary: "A session Parley doesn't know",
      id: "no-such-session",
      status: 404,
      response: noSession,
    },
  },
};
