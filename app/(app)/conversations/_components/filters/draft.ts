import type { Channel, ConversationStatus, SmartStatus } from "@/db/types";
import type { ConversationFilter, TagClause } from "@/lib/list-params";

/** The filter panel's form state: what the inputs hold before Apply turns it into a filter. */
export type Draft = {
  /** As typed: identifiers separated by commas, spaces or new lines. */
  ids: string;
  queue: string[];
  channel: Channel[];
  agent: string[];
  status: ConversationStatus[];
  smart: SmartStatus[];
  csat: number[];
  /** yyyy-mm-dd from the date inputs, "" for open-ended. */
  from: string;
  to: string;
  /** The "Filter for Custom Tags (Beta)" checkbox: clauses apply only while it is ticked. */
  tagsOn: boolean;
  clauses: TagClause[];
};

export const emptyClause = (): TagClause => ({ name: "", op: "contains", value: "" });

export const EMPTY_DRAFT: Draft = {
  ids: "",
  queue: [],
  channel: [],
  agent: [],
  status: [],
  smart: [],
  csat: [],
  from: "",
  to: "",
  tagsOn: false,
  clauses: [emptyClause()],
};

export function draftFromFilter(filter: ConversationFilter): Draft {
  return {
    ids: (filter.ids ?? []).join(", "),
    queue: filter.queue ?? [],
    channel: filter.channel ?? [],
    agent: filter.agent ?? [],
    status: filter.status ?? [],
    smart: filter.smart ?? [],
    csat: filter.csat ?? [],
    // The date inputs hold days; an exact instant from a hand-written link shows as its day.
    from: filter.from?.slice(0, 10) ?? "",
    to: filter.to?.slice(0, 10) ?? "",
    tagsOn: (filter.tags?.length ?? 0) > 0,
    clauses: filter.tags?.length ? filter.tags : [emptyClause()],
  };
}

/** The filter a draft stands for; lists left empty mean "any" and are left out. */
export function filterFromDraft(draft: Draft): ConversationFilter {
  const list = <T>(values: T[]) => (values.length ? values : undefined);
  const ids = draft.ids
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  const filter: ConversationFilter = {
    ids: list([...new Set(ids)]),
    queue: list(draft.queue),
    channel: list(draft.channel),
    agent: list(draft.agent),
    status: list(draft.status),
    smart: list(draft.smart),
    csat: list(draft.csat) as ConversationFilter["csat"],
    from: draft.from || undefined,
    to: draft.to || undefined,
    tags: draft.tagsOn
      ? list(draft.clauses.map((c) => ({ ...c, name: c.name.trim(), value: c.value.trim() })))
      : undefined,
  };
  for (const key of Object.keys(filter) as (keyof ConversationFilter)[])
    if (filter[key] === undefined) delete filter[key];
  return filter;
}

/** What the form must fix before the filter can be applied, or null. */
export function draftProblem(draft: Draft): string | null {
  if (draft.tagsOn && draft.clauses.some((c) => !c.name.trim())) return "Enter a tag name in every clause.";
  if (draft.from && draft.to && draft.from > draft.to) return "The start date is after the end date.";
  return null;
}
