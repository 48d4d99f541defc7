import { z } from "zod";
import { ingestBatchSchema, ingestResultSchema } from "../ingest/schemas.ts";
import { conversationDetailSchema, conversationListSchema, listQuerySchema } from "./conversations.ts";
import { authExamples, detailExamples, ingestExamples, listExamples } from "./examples.ts";
import { ingestQuerySchema } from "./handlers.ts";
import { apiErrorSchema, MAX_BODY_BYTES } from "./http.ts";

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
      "Newest first, with cursor pagination (pass `nextCursor` back as `cursor`). When Obscure customer " +
      "info is on, customer phone and e-mail are withheld and the internal user id is given instead.",
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
      "The conversation with participants, transcript (ordered by seq), lifecycle events, notes, tags, call " +
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
    tags: [op.path.includes("events") ? "Ingest" : "Conversations"],
    security: op.scope ? [{ apiKey: [] }] : [],
    "x-parley-scope": op.scope,
    parameters,
    ...(op.requestBody
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: schemaOf(op.requestBody),
                examples: exampleMap(examples, (e) => e.body),
              },
            },
          },
        }
      : {}),
    responses,
  };
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
