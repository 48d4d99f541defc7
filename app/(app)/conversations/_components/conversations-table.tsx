import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import {
  AgentStack,
  ConversationIcons,
  CsatScore,
  CustomerName,
  LikeDislike,
  NpsScore,
  QueueLabel,
  SkillsLabel,
  StatusCell,
} from "@/components/conversation-cells";
import { HighlightedText } from "@/components/highlighted-text";
import { cn } from "@/components/ui/cn";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration } from "@/lib/conversations/format";
import type { ConversationListItem } from "@/lib/conversations/list";
import type { ListColumn } from "@/lib/conversations/list-columns";
import { isLatencySort, type ListParams, listHref, type Sort } from "@/lib/list-params";
import { NOT_ONGOING } from "@/lib/platform/actions";
import { formatDateTime } from "@/lib/time/format";
import { RowActions } from "./row-actions";
import { RowCheckbox, SelectAllOnPage } from "./selection";

const muted = <span className="text-muted-foreground">—</span>;

function customerLabel(c: ConversationListItem): string {
  return c.customer.name ?? c.customer.userRef ?? "unknown customer";
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
  /** The viewer's zone: times are final text in the server's HTML (no client component per row). */
  timeZone: string;
  /** The columns the viewer chose (column chooser); Customer is always shown. */
  columns: Set<ListColumn>;
  density: "compact" | "comfortable";
}) {
  const latency = isLatencySort(params.sort);
  const show = (column: ListColumn) => columns.has(column);
  const compact = density === "compact";
  // Compact rows stay within 44 px: the tallest cell (status over SmartStatus) is two text-xs lines.
  const cell = compact ? "py-0 leading-tight" : undefined;
  // Sticky first columns (selection, Customer) need an opaque background over the scrolled cells.
  const stickyCell = "sticky z-[1] bg-background";
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
      <table aria-label="Conversations" className="w-full caption-bottom text-sm" data-density={density}>
        <TableHeader className="sticky top-0 z-[2] bg-background shadow-[inset_0_-1px_0_var(--color-border)]">
          <TableRow className="hover:bg-transparent">
            <TableHead className={cn(stickyCell, "left-0 w-10 min-w-10 pr-0")}>
              <SelectAllOnPage ids={conversations.map((c) => c.id)} />
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
        <TableBody>
          {conversations.map((c) => {
            const open = params.open === c.id;
            const openHref = listHref(params, { open: c.id });
            return (
              <TableRow
                key={c.id}
                data-testid="conversation-row"
                data-conversation-row
                data-conversation-id={c.id}
                data-open-href={openHref}
                aria-current={open ? "true" : undefined}
                // Focusable for j/k (list-keyboard.tsx) without adding every row to the Tab order;
                // a click anywhere on the row opens it (list-keyboard.tsx too).
                tabIndex={-1}
                className={cn(
                  "cursor-pointer outline-none focus:bg-accent focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring",
                  open && "bg-primary/5",
                )}
              >
                <TableCell className={cn(stickyCell, cell, "left-0 w-10 min-w-10 pr-0")}>
                  <RowCheckbox id={c.id} label={`Select conversation with ${customerLabel(c)}`} />
                </TableCell>
                <TableCell
                  className={cn(stickyCell, cell, "left-10 shadow-[inset_-1px_0_0_var(--color-border)]")}
                >
                  <div className={cn("flex", compact ? "items-center gap-2" : "flex-col gap-1")}>
                    <CustomerName customer={c.customer} href={openHref} compact={compact} />
                    <ConversationIcons direction={c.direction} language={c.language} channel={c.channel} />
                    {c.snippet && c.snippet.length > 0 && (
                      <p
                        className="line-clamp-2 max-w-sm text-xs whitespace-normal text-muted-foreground"
                        data-testid="search-snippet"
                      >
                        <HighlightedText segments={c.snippet} />
                      </p>
                    )}
                  </div>
                </TableCell>
                {show("actions") && (
                  <TableCell className={cell}>
                    <RowActions
                      conversationId={c.id}
                      channel={c.channel}
                      canExport={canExport}
                      label={customerLabel(c)}
                      transcriptHref={`/api/conversations/${c.id}/transcript`}
                      supervisorView={
                        !canIntervene
                          ? { reason: "Access restricted" }
                          : c.status !== "in_progress"
                            ? { reason: NOT_ONGOING } // the spec's "ongoing conversations", as Monitor
                            : { href: `/monitor?conversation=${c.id}` }
                      }
                      identifiers={[
                        { label: "User ID", value: c.customer.userRef },
                        { label: "Session ID", value: c.sessionId },
                        { label: "Call Conversation ID", value: c.callConversationId },
                        { label: "Agent Conversation ID", value: c.agentConversationId },
                        { label: "X External Call ID", value: c.externalCallId },
                      ]}
                    />
                  </TableCell>
                )}
                {show("support") && <TableCell className={cell}>{c.supportAgent ?? muted}</TableCell>}
                {show("start") && (
                  <TableCell className={cell} data-testid="start-time-cell">
                    <time dateTime={c.startedAt.toISOString()}>{formatDateTime(c.startedAt, timeZone)}</time>
                  </TableCell>
                )}
                {show("duration") && (
                  <TableCell className={cn(cell, "tabular-nums")}>
                    {formatDuration(c.startedAt, c.endedAt) ?? muted}
                  </TableCell>
                )}
                {show("e2e_p90") && (
                  <TableCell className={cn(cell, "tabular-nums")} data-testid="e2e-p90-cell">
                    {c.e2eP90Ms === null ? muted : `${Math.round(c.e2eP90Ms).toLocaleString("en-US")} ms`}
                  </TableCell>
                )}
                {show("agents") && (
                  <TableCell className={cell} data-testid="agents-cell">
                    <AgentStack agents={c.agents} />
                  </TableCell>
                )}
                {show("queues") && (
                  <TableCell className={cell} data-testid="queues-cell">
                    <QueueLabel queues={c.queues} />
                  </TableCell>
                )}
                {show("skills") && (
                  <TableCell className={cell} data-testid="skills-cell">
                    <SkillsLabel skills={c.skills} />
                  </TableCell>
                )}
                {show("status") && (
                  <TableCell className={cell} data-testid="status-cell">
                    <StatusCell status={c.status} smartStatus={c.smartStatus} />
                  </TableCell>
                )}
                {show("csat") && (
                  <TableCell className={cell}>
                    <CsatScore score={c.csatScore} triggered={c.csatTriggered} />
                  </TableCell>
                )}
                {show("nps") && (
                  <TableCell className={cell}>
                    <NpsScore score={c.npsScore} triggered={c.npsTriggered} />
                  </TableCell>
                )}
                {show("like") && (
                  <TableCell className={cell}>
                    <LikeDislike liked={c.liked} triggered={c.likeTriggered} />
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </table>
    </section>
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
