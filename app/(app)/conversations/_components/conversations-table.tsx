import { languageName } from "@/components/conversation-cells";
import { formatDuration } from "@/lib/conversations/format";
import type { ConversationListItem } from "@/lib/conversations/list";
import type { ListColumn } from "@/lib/conversations/list-columns";
import type { ListParams } from "@/lib/list-params";
import { formatDateTime } from "@/lib/time/format";
import { type ListAgent, type ListRow, ListTable } from "./list-table";

/** What a row shows, texts formatted here in the viewer's zone; empty fields left out. */
function toListRow(c: ConversationListItem, timeZone: string): ListRow {
  const survey = (score: number | null, triggered: boolean) =>
    score ?? (triggered ? ("asked" as const) : undefined);
  return withoutEmpty({
    id: c.id,
    customer: withoutEmpty({ ...c.customer, obscured: c.customer.obscured || undefined }),
    direction: c.direction,
    language: c.language,
    languageName: languageName(c.language),
    channel: c.channel,
    snippet: c.snippet?.length ? c.snippet : undefined,
    supportAgent: c.supportAgent,
    startedAt: c.startedAt.toISOString(),
    startText: formatDateTime(c.startedAt, timeZone),
    duration: formatDuration(c.startedAt, c.endedAt),
    e2eP90: c.e2eP90Ms === null ? undefined : `${Math.round(c.e2eP90Ms).toLocaleString("en-US")} ms`,
    agents: [], // filled by the caller (agent numbers)
    queues: c.queues,
    skills: c.skills,
    status: c.status,
    smartStatus: c.smartStatus,
    csat: survey(c.csatScore, c.csatTriggered),
    nps: survey(c.npsScore, c.npsTriggered),
    like: c.liked ?? (c.likeTriggered ? ("asked" as const) : undefined),
  });
}

/** The fields that may be null or undefined become optional ones, absent when empty. */
type WithoutEmpty<T> = {
  [K in keyof T as null extends T[K] ? never : undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as null extends T[K] ? K : undefined extends T[K] ? K : never]?: Exclude<
    T[K],
    null | undefined
  >;
};

/** `value` without its null and undefined fields: the RSC payload would spell each one out. */
function withoutEmpty<T extends object>(value: T): WithoutEmpty<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v != null)) as WithoutEmpty<T>;
}

export function ConversationsTable({
  conversations,
  params,
  canIntervene,
  canExport,
  timeZone,
  columns,
  density,
}: {
  conversations: ConversationListItem[];
  params: ListParams;
  canIntervene: boolean;
  canExport: boolean;
  /** The viewer's zone: times are final text in the server's HTML. */
  timeZone: string;
  /** The columns the viewer chose (column chooser); Customer is always shown. */
  columns: Set<ListColumn>;
  density: "compact" | "comfortable";
}) {
  // The page's agents once; rows name them by their place in this list.
  const agents: ListAgent[] = [];
  const agentIndex = new Map<string, number>();
  const rows = conversations.map((c) => {
    const row = toListRow(c, timeZone);
    row.agents = c.agents.map((agent) => {
      let i = agentIndex.get(agent.id);
      if (i === undefined) {
        i = agents.push(withoutEmpty(agent)) - 1;
        agentIndex.set(agent.id, i);
      }
      return i;
    });
    return row;
  });
  return (
    // The scroll area: the header sticks to its top and the first columns to its left; its own
    // horizontal scrollbar stays on screen (the area is at most a viewport tall).
    <section
      aria-label="Conversations table"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      data-testid="table-scroll"
      data-scroll-area
      className="relative max-h-[calc(100dvh-12rem)] min-h-64 overflow-auto overscroll-x-contain outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring"
    >
      <ListTable
        rows={rows}
        agents={agents}
        params={params}
        columns={[...columns]}
        density={density}
        canIntervene={canIntervene}
        canExport={canExport}
      />
    </section>
  );
}
