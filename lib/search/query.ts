import type { z } from "zod";
import {
  CHANNELS,
  type ConversationFilter,
  listFilterFields,
  MAX_TAG_CLAUSES,
  STATUSES,
  TAG_CLAUSE_LIMIT_MESSAGE,
  type TagClause,
} from "../list-params.ts";

// The one parser of what is typed in the search box: field prefixes ("agent:", "status:", …) become
// the list's filters (list-params.ts), validated by the same schemas as the URL parameters, and the
// rest is the keyword search (websearch syntax: words, "phrases", -word, OR). No database here: the
// server (lib/search/index.ts) and the search box both read a phrase with it.

/** Each prefix and the filter it sets; the hint lists them in this order. */
export const SEARCH_PREFIXES = [
  "agent",
  "queue",
  "status",
  "channel",
  "tag",
  "phone",
  "email",
  "customer",
  "id",
  "before",
  "after",
] as const;
export type SearchPrefix = (typeof SEARCH_PREFIXES)[number];

export type ParsedPhrase = {
  /** What is left for the keyword search, as typed (prefix tokens taken out). */
  text: string;
  /** The filters the prefixes set (only those given). */
  filters: ConversationFilter;
  /** One sentence per prefix value that could not be used; the list is not searched while there are any. */
  hints: string[];
  /** Said beside the results: an unknown prefix, searched for as text (it may be an id, "whatsapp:…"). */
  notices: string[];
  /** True when the phrase had at least one prefix token (valid or not). */
  prefixed: boolean;
};

/** Tokens separated by white space; a double-quoted run (also after "name:") is one token. */
export function tokenize(phrase: string): string[] {
  return phrase.match(/(?:[^\s"]*"[^"]*"?)+[^\s"]*|[^\s"]+/g) ?? [];
}

// A prefix is a word of letters right before a colon and a value: "status:error", `queue:"EU desk"`.
// "10:30" (digits) and "https://…" (a URL) are text.
const PREFIX = /^([A-Za-z]+):(?!\/\/)(.*)$/;
const unquote = (value: string) => value.replace(/^"(.*)"?$/, "$1").replace(/"$/, "");

const PREFIX_LIST = SEARCH_PREFIXES.map((p) => `${p}:`).join(", ");

/** A day before the given one ("before:2026-11-03" is everything up to the end of 2 November). */
function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Reads the prefixes out of a phrase. Never throws: what it can't use comes back as a hint. */
export function parsePhrase(phrase: string): ParsedPhrase {
  const filters: Record<string, unknown> = {};
  const hints: string[] = [];
  const notices: string[] = [];
  const words: string[] = [];
  let prefixed = false;
  const addList = (key: "agent" | "queue" | "status" | "channel" | "ids", values: unknown) => {
    const before = (filters[key] as string[] | undefined) ?? [];
    filters[key] = [...new Set([...before, ...(values as string[])])];
  };
  const check = <K extends keyof typeof listFilterFields>(key: K, value: string, hint: string) => {
    const parsed = (
      listFilterFields[key] as unknown as z.ZodType<z.output<(typeof listFilterFields)[K]>>
    ).safeParse(value);
    if (!parsed.success) hints.push(hint);
    return parsed.success ? parsed.data : undefined;
  };
  for (const token of tokenize(phrase)) {
    const m = PREFIX.exec(token);
    const name = (m?.[1] ?? "").toLowerCase();
    const known = (SEARCH_PREFIXES as readonly string[]).includes(name);
    if (!m || (!known && !m[2])) {
      words.push(token);
      continue;
    }
    prefixed = true;
    const value = unquote(m[2] ?? "").trim();
    if (!known) {
      words.push(token);
      notices.push(`“${m[1]}:” is not a field, so “${token}” was searched as text. Fields: ${PREFIX_LIST}.`);
      continue;
    }
    if (!value) {
      hints.push(`Give “${name}:” a value, e.g. ${example(name as SearchPrefix)}.`);
      continue;
    }
    switch (name as SearchPrefix) {
      case "agent": {
        const v = check(
          "agent",
          value,
          `“agent:” takes an agent's e-mail address, e.g. agent:jane@example.com.`,
        );
        if (v) addList("agent", v);
        break;
      }
      case "queue": {
        const v = check("queue", value, `“queue:” takes a queue name, e.g. queue:Billing.`);
        if (v) addList("queue", v);
        break;
      }
      case "status": {
        const v = check(
          "status",
          value.toLowerCase().replace(/-/g, "_"),
          `“status:” takes one of ${STATUSES.join(", ")}.`,
        );
        if (v) addList("status", v);
        break;
      }
      case "channel": {
        const v = check("channel", value.toLowerCase(), `“channel:” takes one of ${CHANNELS.join(", ")}.`);
        if (v) addList("channel", v);
        break;
      }
      case "id": {
        const v = check("ids", value, `“id:” takes a conversation, session or call id.`);
        if (v) addList("ids", v);
        break;
      }
      case "tag": {
        const [tagName = "", ...rest] = value.split("=");
        const clause: TagClause = { name: tagName.trim(), op: "contains", value: rest.join("=").trim() };
        const tags = [...((filters.tags as TagClause[] | undefined) ?? []), clause];
        if (!clause.name) hints.push(`“tag:” takes a tag name and value, e.g. tag:tier=gold.`);
        else if (tags.length > MAX_TAG_CLAUSES) hints.push(TAG_CLAUSE_LIMIT_MESSAGE);
        else {
          const v = check(
            "tags",
            JSON.stringify(tags.map((c) => [c.name, c.op, c.value])),
            `“tag:” takes a tag name and value, e.g. tag:tier=gold.`,
          );
          if (v) filters.tags = v;
        }
        break;
      }
      case "phone":
      case "email":
      case "customer": {
        const v = check(name as "phone", value, IDENTIFIER_HINTS[name as "phone"]);
        if (v !== undefined) filters[name] = v;
        break;
      }
      case "before":
      case "after": {
        const v = check("from", value, `“${name}:” takes a day (YYYY-MM-DD) or an ISO 8601 date-time.`) as
          | string
          | undefined;
        if (v === undefined) break;
        const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
        if (name === "after") filters.from = v;
        else filters.to = day ? dayBefore(v) : v;
        break;
      }
    }
  }
  return { text: words.join(" "), filters: filters as ConversationFilter, hints, notices, prefixed };
}

const IDENTIFIER_HINTS = {
  phone: "“phone:” takes a phone number (at least 6 digits, any notation), e.g. phone:+15550100138.",
  email: "“email:” takes an e-mail address or the part before the @, e.g. email:jane@example.com.",
  customer: "“customer:” takes the start of a customer's name (2 letters or more), e.g. customer:mar.",
} as const;

function example(prefix: SearchPrefix): string {
  const examples: Record<SearchPrefix, string> = {
    agent: "agent:jane@example.com",
    queue: "queue:Billing",
    status: "status:error",
    channel: "channel:voice",
    tag: "tag:tier=gold",
    phone: "phone:5550100138",
    email: "email:jane@example.com",
    customer: "customer:maria",
    id: "id:SESSION-123",
    before: "before:2026-11-03",
    after: "after:2026-11-01",
  };
  return examples[prefix];
}
