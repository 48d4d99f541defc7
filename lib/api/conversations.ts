import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import { heardMessage } from "../conversations/hold.ts";
import { averageLatencies, latenciesOfRow } from "../conversations/latency.ts";
import { listQuery } from "../conversations/list.ts";
import { contactScrubber, deidentify, maskCustomer, type PiiSpan } from "../conversations/mask.ts";
import { isUuid } from "../db-ranges.ts";
import { lifecycleEventTypes } from "../ingest/schemas.ts";
import {
  CHANNELS,
  cursorField,
  cursorFits,
  DIRECTIONS,
  encodeCursor,
  listViewFields,
  type Sort,
  STATUSES,
} from "../list-params.ts";
import { parseSearch, searchListOptions } from "../search/index.ts";
import { readSettings } from "../settings/index.ts";

// The read API for BI tools: query schemas, response schemas (also the OpenAPI document's) and
// the queries. API keys are not users: a read key sees every conversation, masking still applies.

// The list takes the UI list's filters, search and sort, validated by the same schemas
// (lib/list-params.ts) but strictly: an unknown or invalid parameter is a 400 naming it.
export const listQuerySchema = z
  .object({
    ...listViewFields,
    limit: z.coerce.number().int().min(1).max(200).describe("Page size, 1–200 (default 50)."),
    cursor: cursorField.describe("`nextCursor` of the previous page, with the same `q` and `sort`."),
  })
  .partial()
  .strict()
  .superRefine((query, ctx) => {
    // The UI starts such a link from the first page; a client that sends one has a bug to see.
    if (query.cursor && !cursorFits(listSort(query), query.cursor))
      ctx.addIssue({
        code: "custom",
        path: ["cursor"],
        message: "This cursor belongs to another order (q or sort changed): start again without it.",
      });
  });
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The UI's rules: a search is ranked unless another order is asked for; no search, nothing to rank. */
function listSort({ q, sort }: Pick<ListQuery, "q" | "sort">): Sort | undefined {
  return q ? (sort ?? "relevance") : sort === "relevance" ? undefined : sort;
}

const nullableDate = z.string().nullable();

const customerSchema = z
  .object({
    userRef: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    obscured: z.boolean().describe("True when phone and e-mail were withheld (Obscure customer info is on)."),
  })
  .meta({ id: "Customer" });

export const conversationSummarySchema = z
  .object({
    id: z.uuid(),
    sessionId: z.string(),
    channel: z.enum(CHANNELS),
    direction: z.enum(DIRECTIONS),
    language: z.string(),
    mode: z.string().nullable(),
    status: z.enum(STATUSES),
    smartStatus: z.string().nullable(),
    sentiment: z.string().nullable(),
    startedAt: z.string(),
    endedAt: nullableDate,
    customer: customerSchema.nullable(),
    campaign: z.object({ name: z.string().nullable(), instanceId: z.string().nullable() }),
    callIds: z.object({
      callId: z.string().nullable(),
      callConversationId: z.string().nullable(),
      agentConversationId: z.string().nullable(),
      externalCallId: z.string().nullable(),
    }),
    csat: z.object({ triggered: z.boolean(), score: z.number().nullable(), comment: z.string().nullable() }),
    nps: z.object({ triggered: z.boolean(), score: z.number().nullable() }),
    like: z.object({ triggered: z.boolean(), liked: z.boolean().nullable() }),
    disposition: z.object({ code: z.string(), label: z.string(), note: z.string().nullable() }).nullable(),
    agents: z
      .array(z.object({ id: z.uuid(), name: z.string() }))
      .describe("Everyone who joined, first join first."),
    queues: z
      .array(z.string())
      .describe("Queues in the order entered; the last is the current or final one."),
  })
  .meta({ id: "ConversationSummary" });

export const conversationListSchema = z
  .object({
    data: z.array(conversationSummarySchema),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
    hint: z
      .string()
      .optional()
      .describe(
        "Why a search found nothing to look for (only common words or only exclusions, a field prefix it can't use), or why part of it can't be searched (a phone number or e-mail address while Obscure customer info is on).",
      ),
  })
  .meta({ id: "ConversationList" });

const latencySchema = {
  asrMs: z.number().nullable(),
  botMs: z.number().nullable(),
  ttsMs: z.number().nullable(),
  e2eMs: z.number().nullable(),
};

export const conversationDetailSchema = conversationSummarySchema
  .extend({
    participants: z.array(
      z.object({
        userId: z.uuid(),
        name: z.string(),
        role: z.string(),
        joinedAt: z.string(),
        leftAt: nullableDate,
        exitReason: z.string().nullable(),
        exitDescription: z.string().nullable(),
      }),
    ),
    skills: z.array(z.object({ name: z.string(), addedAt: z.string(), removedAt: nullableDate })),
    transcript: z.array(
      z.object({
        seq: z.number(),
        speaker: z.string(),
        kind: z.string(),
        body: z.string(),
        sentAt: z.string(),
        userId: z.uuid().nullable(),
        email: z
          .object({
            subject: z.string().nullable(),
            from: z.string().nullable(),
            to: z.array(z.string()).nullable(),
            cc: z.array(z.string()).nullable(),
            bcc: z.array(z.string()).nullable(),
          })
          .nullable(),
        piiSpans: z
          .array(z.object({ start: z.number(), end: z.number(), type: z.string() }))
          .describe(
            "Where `body` holds a placeholder (e.g. [redacted card number]) for personal data the platform marked: [start, end) UTF-16 offsets.",
          ),
      }),
    ),
    events: z.array(
      z.object({
        type: z.enum(lifecycleEventTypes),
        occurredAt: z.string(),
        userId: z.uuid().nullable(),
        queue: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    notes: z.array(z.object({ body: z.string(), authorId: z.uuid().nullable(), createdAt: z.string() })),
    tags: z.array(z.object({ level: z.string(), name: z.string(), value: z.string() })),
    callControlParameters: z.record(z.string(), z.string()),
    latency: z.object({
      turns: z.array(
        z
          .object({ turnIndex: z.number(), messageSeq: z.number().nullable(), ...latencySchema })
          .describe(
            "ASR = user stops speaking → ASR transcript; Bot = transcript sent → bot response; " +
              "TTS = TTS request → first audio byte; E2E = user stops speaking → first audio heard (ms).",
          ),
      ),
      average: z.object(latencySchema),
    }),
  })
  .meta({ id: "ConversationDetail" });

export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The UI list's query (filters, search, scope, keyset order, agents and queues) with the columns a
 * BI tool reads as well: one query shape for the list and for one conversation.
 */
function summaryQuery(db: Database, viewer: ScopeViewer, opts: Parameters<typeof listQuery>[2]) {
  return listQuery(db, viewer, opts)
    .leftJoin("dispositions as d", "d.id", "conversations.disposition_id")
    .select([
      "conversations.mode",
      "conversations.sentiment",
      "conversations.call_id as callId",
      "conversations.campaign_name as campaignName",
      "conversations.campaign_instance_id as campaignInstanceId",
      "conversations.csat_comment as csatComment",
      "conversations.customer_id as customerId",
      "conversations.disposition_note as dispositionNote",
      "d.code as dispositionCode",
      "d.label as dispositionLabel",
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>["executeTakeFirstOrThrow"]>>;

function toSummary(r: SummaryRow, obscure: boolean): ConversationSummary {
  return {
    id: r.id,
    sessionId: r.sessionId,
    channel: r.channel,
    direction: r.direction,
    language: r.language,
    mode: r.mode,
    status: r.status,
    smartStatus: r.smartStatus,
    sentiment: r.sentiment,
    startedAt: r.startedAt.toISOString(),
    endedAt: iso(r.endedAt),
    customer: r.customerId
      ? maskCustomer(
          {
            userRef: r.customerUserRef,
            name: r.customerName,
            phone: r.customerPhone,
            email: r.customerEmail,
          },
          obscure,
        )
      : null,
    campaign: { name: r.campaignName, instanceId: r.campaignInstanceId },
    callIds: {
      callId: r.callId,
      callConversationId: r.callConversationId,
      agentConversationId: r.agentConversationId,
      externalCallId: r.externalCallId,
    },
    csat: { triggered: r.csatTriggered, score: r.csatScore, comment: r.csatComment },
    nps: { triggered: r.npsTriggered, score: r.npsScore },
    like: { triggered: r.likeTriggered, liked: r.liked },
    disposition: r.dispositionCode
      ? { code: r.dispositionCode, label: r.dispositionLabel ?? r.dispositionCode, note: r.dispositionNote }
      : null,
    agents: r.agents.map(({ id, name }) => ({ id, name })),
    queues: r.queues.map((q) => q.name),
  };
}

/** A page of conversations for an API key, filtered, searched and ordered exactly like the UI list. */
export async function listApiConversations(
  db: Database,
  viewer: ScopeViewer,
  query: ListQuery,
): Promise<z.infer<typeof conversationListSchema>> {
  const { limit = 50, cursor, q, sort: requested, ...filters } = query;
  const sort = listSort(query);
  // Masking decides what a search and the phone/email filters may find, as in the UI list.
  const settings = await readSettings(db);
  const obscure = settings.obscure_customer_info;
  const search = q ? await parseSearch(db, q, { viewer, obscure }) : null;
  if (search?.ok === false) return { data: [], nextCursor: null, hint: search.hint };
  const rows = await summaryQuery(db, viewer, {
    ...filters,
    ...searchListOptions(search),
    obscure,
    sort,
    limit,
    after: cursor,
  }).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => toSummary(r, settings.obscure_customer_info)),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            at: last.cursorAt,
            id: last.id,
            ...(last.cursorRank === null ? {} : { rank: last.cursorRank }),
          })
        : null,
    ...(search?.ok && search.hints[0] ? { hint: search.hints[0] } : {}),
  };
}

/** One conversation by its id or its session id, with everything a BI tool reads; null if unknown. */
export async function getApiConversation(
  db: Database,
  viewer: ScopeViewer,
  idOrSession: string,
): Promise<ConversationDetail | null> {
  const row = await summaryQuery(db, viewer, { limit: 1 })
    .where(isUuid(idOrSession) ? "conversations.id" : "conversations.session_id", "=", idOrSession)
    .executeTakeFirst();
  if (!row) return null;
  const id = row.id;
  const [settings, participants, skills, messages, events, notes, tags, parameters, turns] =
    await Promise.all([
      readSettings(db),
      db
        .selectFrom("conversation_participants as p")
        .innerJoin("users as u", "u.id", "p.user_id")
        .select([
          "p.user_id",
          "u.name",
          "p.role",
          "p.joined_at",
          "p.left_at",
          "p.exit_reason",
          "p.exit_description",
        ])
        .where("p.conversation_id", "=", id)
        .orderBy("p.joined_at")
        .execute(),
      db
        .selectFrom("conversation_skills as cs")
        .innerJoin("skills as s", "s.id", "cs.skill_id")
        .select(["s.name", "cs.added_at", "cs.removed_at"])
        .where("cs.conversation_id", "=", id)
        .orderBy("cs.added_at")
        .execute(),
      db
        .selectFrom("messages")
        .selectAll()
        .where("conversation_id", "=", id)
        .where(heardMessage("messages", id))
        .orderBy("seq")
        .execute(),
      db
        .selectFrom("conversation_events as e")
        .leftJoin("queues as q", "q.id", "e.queue_id")
        .select(["e.type", "e.occurred_at", "e.user_id", "q.name as queue", "e.detail"])
        .where("e.conversation_id", "=", id)
        .orderBy("e.occurred_at")
        .orderBy("e.id")
        .execute(),
      db
        .selectFrom("notes")
        .select(["body", "author_id", "created_at"])
        .where("conversation_id", "=", id)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("conversation_tags")
        .select(["level", "name", "value"])
        .where("conversation_id", "=", id)
        .orderBy("level")
        .orderBy("name")
        .orderBy("value")
        .execute(),
      db
        .selectFrom("call_control_parameters")
        .select(["name", "value"])
        .where("conversation_id", "=", id)
        .orderBy("name")
        .execute(),
      db
        .selectFrom("latency_turns as lt")
        .leftJoin("messages as m", "m.id", "lt.message_id")
        .selectAll("lt")
        .select("m.seq as linkedSeq")
        .where("lt.conversation_id", "=", id)
        .orderBy("lt.turn_index")
        .execute(),
    ]);
  const obscure = settings.obscure_customer_info;
  const summary = toSummary(row, obscure);
  // The customer's own address in an e-mail header becomes their User ID.
  const scrubAddress = contactScrubber(
    { phone: null, email: row.customerEmail },
    { phone: "", email: row.customerUserRef ?? "" },
  );
  const latencyTurns = turns.map((t) => ({
    turnIndex: t.turn_index,
    messageSeq: t.linkedSeq ?? t.message_seq,
    ...latenciesOfRow(t),
  }));
  return {
    ...summary,
    participants: participants.map((p) => ({
      userId: p.user_id,
      name: p.name,
      role: p.role,
      joinedAt: p.joined_at.toISOString(),
      leftAt: iso(p.left_at),
      exitReason: p.exit_reason,
      exitDescription: p.exit_description,
    })),
    skills: skills.map((s) => ({
      name: s.name,
      addedAt: s.added_at.toISOString(),
      removedAt: iso(s.removed_at),
    })),
    transcript: messages.map((m) => {
      // Marked spans are de-identified whatever the masking (mask.ts deidentify); piiSpans then say
      // where the placeholders are.
      const { text: body, spans } = deidentify(m.body, (m.pii_spans ?? []) as PiiSpan[]);
      const hideAddress = (a: string | null) => (obscure && a !== null ? scrubAddress(a) : a);
      return {
        seq: m.seq,
        speaker: m.speaker,
        kind: m.kind,
        body,
        sentAt: m.sent_at.toISOString(),
        userId: m.user_id,
        email:
          m.kind === "email" || m.email_subject || m.email_from
            ? {
                subject: m.email_subject,
                from: hideAddress(m.email_from),
                to: m.email_to?.map((a) => hideAddress(a) ?? a) ?? null,
                cc: m.email_cc?.map((a) => hideAddress(a) ?? a) ?? null,
                bcc: m.email_bcc?.map((a) => hideAddress(a) ?? a) ?? null,
              }
            : null,
        piiSpans: spans,
      };
    }),
    events: events.map((e) => ({
      type: e.type,
      occurredAt: e.occurred_at.toISOString(),
      userId: e.user_id,
      queue: e.queue,
      detail: (e.detail ?? {}) as Record<string, unknown>,
    })),
    notes: notes.map((n) => ({ body: n.body, authorId: n.author_id, createdAt: n.created_at.toISOString() })),
    tags,
    callControlParameters: Object.fromEntries(parameters.map((p) => [p.name, p.value])),
    latency: { turns: latencyTurns, average: averageLatencies(latencyTurns) },
  };
}
