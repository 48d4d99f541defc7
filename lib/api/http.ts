import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { type ApiKeyScope, type VerifiedKey, verifyApiKey } from "../api-keys/index.ts";
import { fieldPath, issuePath } from "../ingest/validate.ts";
import { CLIENT_ADDRESS_HEADER } from "../security/client-address.ts";
import { recordAuthFailure, retryAfterSeconds } from "../security/throttle.ts";

// HTTP plumbing shared by the /api/v1 route handlers: one error shape, API-key authentication,
// and a JSON body reader that enforces the size limit while reading (not only by Content-Length).

export const MAX_BODY_BYTES = 1024 * 1024;

export const apiErrorSchema = z
  .object({
    error: z.string().describe("Machine-readable code, e.g. unauthorized, payload_too_large"),
    message: z.string(),
    path: z.string().optional().describe("The offending field or parameter, when there is one."),
  })
  .meta({ id: "Error" });
export type ApiError = z.infer<typeof apiErrorSchema>;

const NO_STORE = { "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function apiError(
  status: number,
  error: string,
  message: string,
  path?: string,
  headers: Record<string, string> = {},
): Response {
  const body: ApiError = path ? { error, message, path } : { error, message };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="parley"';
  return json(body, status, headers);
}

/** The key behind the Bearer token if it has `scope`; otherwise the 401/403 response to return. */
export async function authenticate(
  db: Database,
  request: Request,
  scope: ApiKeyScope,
): Promise<VerifiedKey | Response> {
  const header = request.headers.get("authorization");
  const token = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!token) {
    return apiError(401, "unauthorized", "Send an API key as `Authorization: Bearer <key>`.");
  }
  // Guessing keys is slowed down per address (lib/security/throttle.ts), across all web processes.
  const address = request.headers.get(CLIENT_ADDRESS_HEADER);
  const wait = await retryAfterSeconds(db, "api-key", address);
  if (wait !== null)
    return apiError(
      429,
      "too_many_requests",
      `Too many failed authentications. Retry in ${wait} s.`,
      undefined,
      {
        "retry-after": String(wait),
      },
    );
  const key = await verifyApiKey(db, token);
  if (!key) {
    await recordAuthFailure(db, "api-key", address);
    return apiError(401, "unauthorized", "The API key is invalid or has been revoked.");
  }
  if (!key.scopes.includes(scope)) {
    return apiError(403, "forbidden", `This API key lacks the "${scope}" scope.`);
  }
  return key;
}

/** The parsed JSON body, or the 400/413 response to return. Never buffers more than the limit. */
export async function readJsonBody(
  request: Request,
  limit = MAX_BODY_BYTES,
): Promise<{ value: unknown } | Response> {
  const tooLarge = () =>
    apiError(413, "payload_too_large", `The request body exceeds ${limit.toLocaleString("en-US")} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  if (!request.body) return apiError(400, "invalid_json", "The request body is empty; send a JSON object.");
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return apiError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Query parameters as an object, validated by `schema`; repeated or unknown parameters are errors. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): { value: z.infer<S> } | Response {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in raw) return apiError(400, "invalid_query", `Parameter "${key}" is given more than once.`, key);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = fieldPath("", issuePath(issue));
  return apiError(400, "invalid_query", `${path}: ${issue?.message ?? "invalid"}`, path);
}

/** The 422 for a JSON body that failed its schema, naming the first offending field. */
export function invalidBody(code: string, error: z.ZodError): Response {
  const issue = error.issues[0];
  const path = fieldPath("", issuePath(issue));
  return apiError(422, code, `${path || "body"}: ${issue?.message ?? "invalid"}`, path || undefined);
}
