import type { z } from "zod";
import { type IngestEvent, ingestEventSchema, type Rejection } from "./schemas.ts";

export type IndexedEvent = { index: number; event: IngestEvent };

/** `events[3].customer.email` — the field a client has to fix, in the notation of their JSON. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path)
    out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** The path an issue is about; an unknown key is named in the path itself. */
export function issuePath(issue: z.core.$ZodIssue | undefined): PropertyKey[] {
  if (!issue) return [];
  return issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
}

/** Each issue as a rejection. */
export function issuesToRejections(index: number, prefix: string, issues: z.core.$ZodIssue[]): Rejection[] {
  return issues.map((issue) => ({
    index,
    path: fieldPath(prefix, issuePath(issue)),
    message: issue.message,
  }));
}

/** Validates every event on its own, so one bad event does not hide the others' errors. */
export function validateEvents(raw: readonly unknown[]): { valid: IndexedEvent[]; rejected: Rejection[] } {
  const valid: IndexedEvent[] = [];
  const rejected: Rejection[] = [];
  raw.forEach((candidate, index) => {
    const parsed = ingestEventSchema.safeParse(candidate);
    if (parsed.success) valid.push({ index, event: parsed.data });
    else rejected.push(...issuesToRejections(index, `events[${index}]`, parsed.error.issues));
  });
  return { valid, rejected };
}

/** The Parley users an event names by e-mail, as [field, email] pairs. */
export function userReferences(event: IngestEvent): [string, string][] {
  const refs: [string, string | null | undefined][] = [];
  switch (event.type) {
    case "message":
    case "participant.joined":
    case "participant.left":
    case "disposition.set":
    case "lifecycle":
      refs.push(["agentEmail", event.agentEmail]);
      break;
    case "note.added":
      refs.push(["authorEmail", event.authorEmail]);
      break;
    case "conversation.updated":
      refs.push(["supportAgentEmail", event.supportAgentEmail]);
      break;
  }
  return refs.filter((r): r is [string, string] => typeof r[1] === "string");
}
