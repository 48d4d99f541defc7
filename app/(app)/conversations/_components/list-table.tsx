"use client";

import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import {
  AgentStack,
  ConversationIcons,
  CsatScore,
  type CustomerCellData,
  CustomerName,
  customerLabel,
  LikeDislike,
  NpsScore,
  QueueLabel,
  SkillsLabel,
  StatusCell,
} from "@/components/conversation-cells";
import { HighlightedText } from "@/components/highlighted-text";
import { cn } from "@/components/ui/cn";
import { TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Channel, ConversationStatus, Direction, SmartStatus } from "@/db/types";
import type { Highlighted } from "@/lib/conversations/highlight";
import type { ListColumn } from "@/lib/conversations/list-columns";
import { isLatencySort, type ListParams, listHref, type Sort } from "@/lib/list-params";
import { RowActions } from "./row-actions";
import { RowCheckbox, SelectAllOnPage } from "./selection";

/**
 * One row of the list as the browser gets it: only what the row shows, with the texts (times,
 * durations, language names) already formatted on the server in the viewer's zone, so the first
 * paint is final and hydration changes nothing. Empty fields are left out (an absent key is an empty
 * cell); the identifiers the ⋮ menu copies are read when it opens (row-actions.tsx).
 */
export type ListRow = {
  id: string;
  customer: CustomerCellData;
  direction: Direction;
  language: string;
  languageName: string;
  channel: Channel;
  snippet?: Highlighted;
  supportAgent?: string;
  startedAt: string;
  startText: string;
  duration?: string;
  e2eP90?: string;
  /** Places in the page's list of agents (ListTable's `agents`). */
  agents: number[];
  queues: string[];
  skills: string[];
  status: ConversationStatus;
  smartStatus?: SmartStatus;
  csat?: number | "asked";
  nps?: number | "asked";
  like?: boolean | "asked";
};

const muted = <span className="dash">—</span>;

export type ListAgent = { id: string; name: string; avatarUpdatedAt?: string };

/**
 * The list's table, rendered from compact row data: a client component, so the RSC payload inlined
 * for hydration carries the rows' data rather than a second copy of their markup (a server-rendered
 * row's every element and class travels twice). Cell styles live in globals.css (.list-table) for
 * the same reason.
 */
export function ListTable({
  rows,
  agents,
  params,
  columns,
  density,
  canIntervene,
  canExport,
}: {
  rows: ListRow[];
  agents: ListAgent[];
  params: ListParams;
  /** The columns the viewer chose (column chooser); Customer is always shown. */
  columns: ListColumn[];
  density: "compact" | "comfortable";
  canIntervene: boolean;
  canExport: boolean;
}) {
  const shown = new Set(columns);
  const show = (column: ListColumn) => shown.has(column);
  const compact = density === "compact";
  const latency = isLatencySort(params.sort);
  // Sticky first columns (selection, Customer) need an opaque background over the scrolled cells.
  const stickyCell = "sticky z-[1] bg-background";
  return (
    <table
      aria-label="Conversations"
      className="list-table w-full caption-bottom text-sm"
      data-density={density}
    >
      <TableHeader className="sticky top-0 z-[2] bg-background shadow-[inset_0_-1px_0_var(--color-border)]">
        <TableRow className="hover:bg-transparent">
          <TableHead className={cn(stickyCell, "left-0 w-10 min-w-10 pr-0")}>
            <SelectAllOnPage ids={rows.map((c) => c.id)} />
          </TableHead>
          <TableHead className={cn(stickyCell, "left-10 shadow-[inset_-1px_0_0_var(--color-border)]")}>
            Customer
          </TableHead>
          {show("actions") && <TableHead>Actions</TableHead>}
          {show("support") && <TableHead>Support</TableHead>}
          {show("start") && (
            <SortHeader
              params={params}
              label="Start Time"
              active={!latency && params.sort !== "relevance"}
              descending={params.sort !== "oldest"}
              states={["newest", "oldest"]}
              orderName={(sort) => `${sort === "newest" ? "newest" : "oldest"} first`}
            />
          )}
          {show("duration") && <TableHead>Duration</TableHead>}
          {show("e2e_p90") && (
            <SortHeader
              params={params}
              label="E2E p90"
              title="End-to-End Latency, 90th percentile of the call's voice turns (User stops speaking → First audio byte heard)"
              active={latency}
              descending={params.sort !== "e2e_p90_asc"}
              states={["e2e_p90_desc", "e2e_p90_asc"]}
              orderName={(sort) => (sort === "e2e_p90_desc" ? "slowest first" : "fastest first")}
            />
          )}
          {show("agents") && <TableHead>Agents</TableHead>}
          {show("queues") && <TableHead>Queues</TableHead>}
          {show("skills") && <TableHead>Skills</TableHead>}
          {show("status") && <TableHead>Status</TableHead>}
          {show("csat") && <TableHead>CSAT</TableHead>}
          {show("nps") && <TableHead>NPS</TableHead>}
          {show("like") && <TableHead>Like/Dislike</TableHead>}
        </TableRow>
      </TableHeader>
      <tbody>
        {rows.map((c) => {
          const openHref = listHref(params, { open: c.id });
          return (
            <tr
              key={c.id}
              data-testid="conversation-row"
              data-conversation-row
              data-conversation-id={c.id}
              aria-current={params.open === c.id ? "true" : undefined}
              // Focusable for j/k (list-keyboard.tsx) without adding every row to the Tab order;
              // a click anywhere on the row opens it (list-keyboard.tsx too).
              tabIndex={-1}
            >
              <td>
                <RowCheckbox id={c.id} label={`Select conversation with ${customerLabel(c.customer)}`} />
              </td>
              <td>
                <div>
                  <CustomerName customer={c.customer} href={openHref} compact={compact} />
                  <ConversationIcons
                    direction={c.direction}
                    language={c.language}
                    languageName={c.languageName}
                    channel={c.channel}
                  />
                  {c.snippet && c.snippet.length > 0 && (
                    <p className="snippet" data-testid="search-snippet">
                      <HighlightedText segments={c.snippet} />
                    </p>
                  )}
                </div>
              </td>
              {show("actions") && (
                <td>
                  <RowActions row={c} canExport={canExport} canIntervene={canIntervene} />
                </td>
              )}
              {show("support") && <td>{c.supportAgent ?? muted}</td>}
              {show("start") && (
                <td data-testid="start-time-cell">
                  <time dateTime={c.startedAt}>{c.startText}</time>
                </td>
              )}
              {show("duration") && <td className="tabular-nums">{c.duration ?? muted}</td>}
              {show("e2e_p90") && (
                <td className="tabular-nums" data-testid="e2e-p90-cell">
                  {c.e2eP90 ?? muted}
                </td>
              )}
              {show("agents") && (
                <td data-testid="agents-cell">
                  <AgentStack agents={c.agents.map((i) => agents[i]).filter((a) => a !== undefined)} />
                </td>
              )}
              {show("queues") && (
                <td data-testid="queues-cell">
                  <QueueLabel queues={c.queues} />
                </td>
              )}
              {show("skills") && (
                <td data-testid="skills-cell">
                  <SkillsLabel skills={c.skills} />
                </td>
              )}
              {show("status") && (
                <td data-testid="status-cell">
                  <StatusCell status={c.status} smartStatus={c.smartStatus ?? null} />
                </td>
              )}
              {show("csat") && (
                <td>
                  <CsatScore
                    score={typeof c.csat === "number" ? c.csat : null}
                    triggered={c.csat !== undefined}
                  />
                </td>
              )}
              {show("nps") && (
                <td>
                  <NpsScore
                    score={typeof c.nps === "number" ? c.nps : null}
                    triggered={c.nps !== undefined}
                  />
                </td>
              )}
              {show("like") && (
                <td>
                  <LikeDislike
                    liked={typeof c.like === "boolean" ? c.like : null}
                    triggered={c.like !== undefined}
                  />
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * A sortable column header: a link to the list in this column's order (its first state when another
 * column sorts the list, the other state when it already does); aria-sort on the active one.
 */
function SortHeader({
  params,
  label,
  title,
  active,
  descending,
  states,
  orderName,
}: {
  params: ListParams;
  label: string;
  title?: string;
  active: boolean;
  descending: boolean;
  states: [Sort, Sort];
  orderName: (sort: Sort) => string;
}) {
  const current = active ? params.sort : null;
  const next = current === states[0] ? states[1] : states[0];
  const Icon = descending ? ArrowDown : ArrowUp;
  return (
    <TableHead aria-sort={active ? (descending ? "descending" : "ascending") : undefined}>
      <Link
        href={listHref(params, { sort: next, after: undefined, before: undefined, page: undefined })}
        scroll={false}
        title={title}
        className="inline-flex items-center gap-1 rounded-sm uppercase outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
        aria-label={`${label}${current ? `, ${orderName(current)}` : ""}. Sort ${orderName(next)}`}
      >
        {label}
        {active && <Icon className="size-3.5" aria-hidden />}
      </Link>
    </TableHead>
  );
}
