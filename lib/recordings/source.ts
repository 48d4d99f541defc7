import { z } from "zod";
import type { Env } from "../config/env.ts";
import { type AllowList, parseAllowList } from "./outbound.ts";

// Where the worker fetches a call's audio: an HTTP URL template on the recording server, filled
// with the call's id (`{callId}`: the platform's call id, else the session id) and, for servers
// that keep one file per leg, `{leg}` (customer, agent). An optional header authenticates the
// requests; it is sent to the configured server only, never to leg URLs registered by ingest.
// The configured server is the operator's own, so it may be on a private address; leg URLs that
// API keys register may not, unless their host is on RECORDING_SOURCE_ALLOWED_HOSTS (outbound.ts).

export const LEG_LABELS = ["customer", "agent"] as const;

export const recordingSourceSchema = z.object({
  urlTemplate: z
    .url({ protocol: /^https?$/, error: "RECORDING_SOURCE_URL must be an http(s) URL" })
    .refine((u) => u.includes("{callId}"), "RECORDING_SOURCE_URL must contain {callId}"),
  authHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+:\s*\S.*$/, 'RECORDING_SOURCE_AUTH_HEADER must look like "Name: value"')
    .optional(),
  timeoutMs: z.number().int().min(1000),
});

export type RecordingSource = z.infer<typeof recordingSourceSchema>;

/** The configured source, or null when RECORDING_SOURCE_URL is unset; a malformed one throws. */
export function recordingSourceFromEnv(env: Env): RecordingSource | null {
  if (!env.RECORDING_SOURCE_URL) return null;
  const parsed = recordingSourceSchema.safeParse({
    urlTemplate: env.RECORDING_SOURCE_URL,
    authHeader: env.RECORDING_SOURCE_AUTH_HEADER,
    timeoutMs: env.RECORDING_FETCH_TIMEOUT_SECONDS * 1000,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** RECORDING_SOURCE_ALLOWED_HOSTS (comma-separated host names, IP addresses, CIDR ranges); a bad entry throws. */
export function recordingAllowListFromEnv(env: Env): AllowList {
  return parseAllowList((env.RECORDING_SOURCE_ALLOWED_HOSTS ?? "").split(","));
}

/**
 * The URL of one leg: placeholders filled with values encoded as one path segment each, or null
 * for a call id no encoding keeps inside its segment ("." and "..", in any percent-encoded form,
 * are dot segments to a URL parser and would climb out of the template's path).
 */
export function legUrl(source: RecordingSource, callId: string, leg: string): string | null {
  if (/^(\.|%2e){1,2}$/i.test(callId)) return null;
  return source.urlTemplate
    .replaceAll("{callId}", encodeURIComponent(callId))
    .replaceAll("{leg}", encodeURIComponent(leg));
}

/** The legs a template yields: one per label with `{leg}`, else the one mixed file. */
export function templateLegs(source: RecordingSource): { legIndex: number; label: string }[] {
  if (!source.urlTemplate.includes("{leg}")) return [{ legIndex: 0, label: "mixed" }];
  return LEG_LABELS.map((label, legIndex) => ({ legIndex, label }));
}

export function authHeaders(source: RecordingSource): Record<string, string> {
  if (!source.authHeader) return {};
  const colon = source.authHeader.indexOf(":");
  return { [source.authHeader.slice(0, colon).trim()]: source.authHeader.slice(colon + 1).trim() };
}
