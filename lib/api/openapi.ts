import { z } from "zod";
import { ingestBatchSchema, ingestResultSchema } from "../ingest/schemas.ts";
import { MAX_UPLOAD_BYTES } from "../storage/staging.ts";
import { conversationDetailSchema, conversationListSchema, listQuerySchema } from "./conversations.ts";
import { authExamples, detailExamples, ingestExamples, listExamples, uploadExamples } from "./examples.ts";
import { ingestQuerySchema } from "./handlers.ts";
import { apiErrorSchema, MAX_BODY_BYTES } from "./http.ts";
import {
  AUDIO_CONTENT_TYPES,
  CAPTURE_CONTENT_TYPES,
  captureResultSchema,
  recordingLegQuerySchema,
  recordingLegResultSchema,
  recordingLegSourceSchema,
  screenRecordingQuerySchema,
  screenRecordingResultSchema,
  WEBM_CONTENT_TYPES,
} from "./uploads.ts";

// The OpenAPI 3.1 document, generated from the zod schemas that validate requests and shape
// responses (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits directly).

type Example = {
  summary: string;
  status: number;
  response: unknown;
  body?: unknown;
  query?: Record<string, string>;
  id?: string;
  atomic?: string;
};

export type Operation = {
  method: "get" | "post";
  path: string;
  operationId: string;
  summary: string;
  description: string;
  scope: "read" | "write" | null;
  query?: z.ZodObject;
  pathParam?: { name: string; description: string };
  requestBody?: z.ZodType;
  /** A file body: sent raw with one of these Content-Types, or as the `file` part of multipart/form-data. */
  binaryBody?: { mediaTypes: string[]; description: string };
  tag?: string;
  responses: Record<number, { description: string; schemas: z.ZodType[] }>;
  examples: Record<string, Example>;
};

const errors = {
  401: { description: "No API key, or an invalid or revoked one.", schemas: [apiErrorSchema] },
  403: { description: "The key lacks the scope this endpoint needs.", schemas: [apiErrorSchema] },
};

export const operations: Operation[] = [
  {
    method: "post",
    path: "/api/v1/events",
    operationId: "ingestEvents",
    summary: "Send a batch of events",
    description:
      "Stores up to 1,000 typed events. Every event carries a client-supplied `id`: an id already stored is " +
      "a no-op, so retries are safe. Events may arrive in any order and in any batches; the conversation " +
      "converges to the same state. Invalid events are reported by index with the offending field while " +
      "the valid ones are stored, unless `atomic=true`.",
    scope: "write",
    query: ingestQuerySchema,
    requestBody: ingestBatchSchema,
    responses: {
      200: { description: "Every event stored, or already stored.", schemas: [ingestResultSchema] },
      207: {
        description: "Some events rejected (see `rejected`); the others stored.",
        schemas: [ingestResultSchema],
      },
      400: {
        description: "The body is not JSON, or a query parameter is invalid.",
        schemas: [apiErrorSchema],
      },
      ...errors,
      413: {
        description: `The body exceeds ${MAX_BODY_BYTES.toLocaleString("en-US")} bytes.`,
        schemas: [apiErrorSchema],
      },
      422: {
        description: "Nothing stored: every event rejected, `atomic` with a rejection, or a malformed batch.",
        schemas: [ingestResultSchema, apiErrorSchema],
      },
    },
    examples: ingestExamples,
  },
  {
    method: "get",
    path: "/api/v1/conversations",
    operationId: "listConversations",
    summary: "List conversations",
    description:
      "The Conversations list of the UI, with the same filters, search and sort (newest first by default), " +
      "and cursor pagination (pass `nextCursor` back as `cursor`). When Obscure customer info is on, " +
      "customer phone and e-mail are withheld and the internal user id is given instead.",
    scope: "read",
    query: listQuerySchema,
    responses: {
      200: { description: "A page of conversations.", schemas: [conversationListSchema] },
      400: { description: "A filter, limit or cursor is invalid.", schemas: [apiErrorSchema] },
      ...errors,
    },
    examples: listExamples,
  },
  {
    method: "get",
    path: "/api/v1/conversations/{id}",
    operationId: "getConversation",
    summary: "Get one conversation",
    description:
      "The conversation with participants, transcript (ordered by seq; without what the customer said while " +
      "the call was on hold), lifecycle events, notes, tags, call " +
      "control parameters and per-turn latency (ASR, Bot, TTS, end-to-end in ms). Masking applies as in the list.",
    scope: "read",
    pathParam: { name: "id", description: "The conversation's id (uuid) or the platform's session id." },
    responses: {
      200: { description: "The conversation.", schemas: [conversationDetailSchema] },
      ...errors,
      404: { description: "No conversation with this id or session id.", schemas: [apiErrorSchema] },
    },
    examples: detailExamples,
  },
];

const uploadErrors = {
  400: {
    description: "An empty or malformed body, or an invalid query parameter.",
    schemas: [apiErrorSchema],
  },
  ...errors,
  404: { description: "No conversation with this session id (or uuid).", schemas: [apiErrorSchema] },
  413: {
    description: `The file exceeds ${MAX_UPLOAD_BYTES.toLocaleString("en-US")} bytes.`,
    schemas: [apiErrorSchema],
  },
  415: {
    description: "The Content-Type is not accepted, or the file's first bytes are not of the expected type.",
    schemas: [apiErrorSchema],
  },
};

const sessionParam = {
  name: "id",
  description: "The conversation's session id (its uuid works too). The conversation must exist (else 404).",
};

// Binary request bodies can't be given as JSON example values: the contract test sends the JSON
// examples below (a missing session, a source URL); tests/integration/uploads.test.ts uploads files.
operations.push(
  {
    method: "post",
    path: "/api/v1/conversations/{id}/recording-legs",
    operationId: "uploadRecordingLeg",
    summary: "Upload a recording leg, or register its source URL",
    description:
      "One leg (channel) of the call recording: an audio file (WAV, FLAC, MP3 or Ogg, recognised by its first " +
      "bytes) with `legIndex`, `label` and optionally `participantEmail` as query parameters (or multipart " +
      "fields), stored as `recordings/<conversation>/leg-<n>.<ext>`; or a JSON body with `sourceUrl` that the " +
      "recording fetcher downloads later. The same content again is a no-op (`unchanged`); other content for " +
      "the same leg replaces it (`replaced`). A recording whose legs all have files is `available`.",
    scope: "write",
    tag: "Ingest",
    pathParam: sessionParam,
    query: recordingLegQuerySchema,
    requestBody: recordingLegSourceSchema,
    binaryBody: { mediaTypes: AUDIO_CONTENT_TYPES, description: "The leg's audio file." },
    responses: {
      200: { description: "The leg is unchanged or was replaced.", schemas: [recordingLegResultSchema] },
      201: { description: "The leg was created.", schemas: [recordingLegResultSchema] },
      ...uploadErrors,
      422: { description: "The JSON body is invalid, or no user has the e-mail.", schemas: [apiErrorSchema] },
    },
    examples: uploadExamples.recordingLeg,
  },
  {
    method: "post",
    path: "/api/v1/conversations/{id}/screen-recordings",
    operationId: "uploadScreenRecording",
    summary: "Upload an agent's screen recording",
    description:
      "A WebM file (EBML header with DocType webm) for the agent named by `agentEmail`, stored as " +
      "`screen-recordings/<conversation>/<agent>.webm` and marked available. The same file again is a no-op; " +
      "another file for the same agent replaces it.",
    scope: "write",
    tag: "Ingest",
    pathParam: sessionParam,
    query: screenRecordingQuerySchema,
    binaryBody: { mediaTypes: WEBM_CONTENT_TYPES, description: "The WebM file." },
    responses: {
      200: { description: "Unchanged, or replaced.", schemas: [screenRecordingResultSchema] },
      201: { description: "Stored.", schemas: [screenRecordingResultSchema] },
      ...uploadErrors,
      422: { description: "No user has the e-mail.", schemas: [apiErrorSchema] },
    },
    examples: uploadExamples.screenRecording,
  },
  {
    method: "post",
    path: "/api/v1/conversations/{id}/captures",
    operationId: "uploadCapture",
    summary: "Upload a SIP capture",
    description:
      "A pcap or pcapng capture of the call (as tcpdump, tshark or Wireshark write it). It is stored as " +
      "`pending` and parsed by the worker into the Diagnostics panel's SIP flow, media streams and RTCP " +
      "reports (`parsed`, or `failed` with the reason). The same file again for the same conversation " +
      "returns the existing capture (`unchanged`). Voice conversations only: a chat or e-mail is refused " +
      "with 422 before the file is read.",
    scope: "write",
    tag: "Ingest",
    pathParam: sessionParam,
    binaryBody: { mediaTypes: CAPTURE_CONTENT_TYPES, description: "The capture file." },
    responses: {
      200: { description: "This file was uploaded before: its capture.", schemas: [captureResultSchema] },
      201: { description: "Stored; parsing is queued.", schemas: [captureResultSchema] },
      ...uploadErrors,
      422: {
        description: "The conversation is not a call (`not_a_call`, path `id`).",
        schemas: [apiErrorSchema],
      },
    },
    examples: uploadExamples.capture,
  },
);

const openApiPath = { method: "get", path: "/api/v1/openapi.json", summary: "This document (no key needed)" };

const jsonSchemaOptions = { target: "draft-2020-12", io: "input", unrepresentable: "any" } as const;

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  const { $schema: _, ...rest } = z.toJSONSchema(schema, jsonSchemaOptions) as Record<string, unknown>;
  return rest;
}

function exampleMap(examples: [string, Example][], pick: (e: Example) => unknown) {
  const out: Record<string, { summary: string; value: unknown }> = {};
  for (const [name, e] of examples) {
    const value = pick(e);
    if (value !== undefined) out[name] = { summary: e.summary, value };
  }
  return Object.keys(out).length ? out : undefined;
}

function operationObject(op: Operation) {
  const examples = Object.entries(op.examples);
  const parameters: Record<string, unknown>[] = [];
  if (op.pathParam) {
    parameters.push({
      name: op.pathParam.name,
      in: "path",
      required: true,
      description: op.pathParam.description,
      schema: { type: "string", maxLength: 200 },
      examples: exampleMap(examples, (e) => e.id),
    });
  }
  for (const [name, field] of Object.entries(op.query?.shape ?? {})) {
    const { description, ...schema } = schemaOf(field as z.ZodType);
    parameters.push({
      name,
      in: "query",
      required: false,
      ...(description ? { description } : {}),
      schema,
      examples: exampleMap(examples, (e) => (name === "atomic" ? e.atomic : e.query?.[name])),
    });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const schema =
      r.schemas.length === 1 ? schemaOf(r.schemas[0] as z.ZodType) : { oneOf: r.schemas.map(schemaOf) };
    const named = examples.filter(([, e]) => String(e.status) === status);
    const fallback = authExamples[Number(status) as keyof typeof authExamples];
    responses[status] = {
      description: r.description,
      content: {
        "application/json": {
          schema,
          examples: named.length
            ? exampleMap(named, (e) => e.response)
            : fallback
              ? { [status]: { summary: r.description, value: fallback } }
              : undefined,
        },
      },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: [op.tag ?? (op.path.includes("events") ? "Ingest" : "Conversations")],
    security: op.scope ? [{ apiKey: [] }] : [],
    "x-parley-scope": op.scope,
    parameters,
    ...(op.requestBody || op.binaryBody
      ? {
          requestBody: {
            required: true,
            ...(op.binaryBody ? { description: op.binaryBody.description } : {}),
            content: {
              ...(op.requestBody
                ? {
                    "application/json": {
                      schema: schemaOf(op.requestBody),
                      examples: exampleMap(examples, (e) => e.body),
                    },
                  }
                : {}),
              ...binaryContent(op),
            },
          },
        }
      : {}),
    responses,
  };
}

function binaryContent(op: Operation): Record<string, unknown> {
  if (!op.binaryBody) return {};
  const out: Record<string, unknown> = {};
  for (const type of op.binaryBody.mediaTypes)
    out[type] = { schema: { type: "string", contentMediaType: type } };
  const fields = Object.fromEntries(
    Object.entries(op.query?.shape ?? {}).map(([name, field]) => [name, schemaOf(field as z.ZodType)]),
  );
  out["multipart/form-data"] = {
    schema: {
      type: "object",
      required: ["file"],
      properties: { file: { type: "string", contentMediaType: "application/octet-stream" }, ...fields },
    },
  };
  return out;
}

/** Component schemas the paths reference, and everything those reference in turn. */
function reachableSchemas(roots: unknown): Record<string, unknown> {
  const all = z.toJSONSchema(z.globalRegistry, {
    ...jsonSchemaOptions,
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
          const id = v.slice("#/components/schemas/".length);
          const schema = all[id];
          if (schema && !(id in out)) {
            const { $schema: _, $id: __, ...rest } = schema;
            out[id] = rest;
            visit(rest);
          }
        } else visit(v);
      }
    }
  };
  visit(roots);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  }
  paths[openApiPath.path] = {
    get: {
      operationId: "getOpenApi",
      summary: openApiPath.summary,
      tags: ["Meta"],
      security: [],
      responses: { 200: { description: "OpenAPI 3.1 document", content: { "application/json": {} } } },
    },
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: "1.0.0",
      description:
        "Ingest conversations from a voice/chat/e-mail platform and read them back. Authenticate with an " +
        "API key (`npm run apikey -- create <name> --scope write,read`, or Admin → API keys) sent as " +
        "`Authorization: Bearer <key>`. Write endpoints need the write scope, read endpoints the read scope.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
    tags: [
      { name: "Ingest", description: "Events from the platform" },
      { name: "Conversations", description: "Read access for BI tools" },
      { name: "Meta" },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A Parley API key (prly_…)." },
      },
      schemas: reachableSchemas(paths),
    },
  };
  return cached;
}
