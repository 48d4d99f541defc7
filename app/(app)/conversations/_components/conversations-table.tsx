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
import { LocalTime } from "@/components/local-time";
import { cn } from "@/components/ui/cn";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration } from "@/lib/conversations/format";
import type { ConversationListItem } from "@/lib/conversations/list";
import { isLatencySort, type ListParams, listHref, type Sort } from "@/lib/list-params";
import { NOT_ONGOING } from "@/lib/platform/actions";
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
}: {
  conversations: ConversationListItem[];
  params: ListParams;
  canIntervene: boolean;
  canExport: boolean;
}) {
  const latency = isLatencySort(params.sort);
  return (
    <Table aria-label="Conversations">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead className="w-8 pr-0">
            <SelectAllOnPage ids={conversations.map((c) => c.id)} />
          </TableHead>
          <TableHead>Customer</TableHead>
          <TableHead>Actions</TableHead>
          <TableHead>Support</TableHead>
          <SortHeader
            params={params}
            label="Start Time"
            active={!latency && params.sort !== "relevance"}
            descending={params.sort !== "oldest"}
            states={["newest", "oldest"]}
            orderName={(sort) => `${sort === "newest" ? "newest" : "oldest"} first`}
          />
          <TableHead>Duration</TableHead>
          <SortHeader
            params={params}
            label="E2E p90"
            title="End-to-End Latency, 90th percentile of the call's voice turns (User stops speaking → First audio byte heard)"
            active={latency}
            descending={params.sort !== "e2e_p90_asc"}
            states={["e2e_p90_desc", "e2e_p90_asc"]}
            orderName={(sort) => (sort === "e2e_p90_desc" ? "slowest first" : "fastest first")}
          />
          <TableHead>Agents</TableHead>
          <TableHead>Queues</TableHead>
          <TableHead>Skills</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>CSAT</TableHead>
          <TableHead>NPS</TableHead>
          <TableHead>Like/Dislike</TableHead>
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
              // Focusable for j/k (list-keyboard.tsx) without adding every row to the Tab order.
              tabIndex={-1}
              className={cn(
                "outline-none focus:bg-accent focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring",
                open && "bg-primary/5",
              )}
            >
              <TableCell className="w-8 pr-0">
                <RowCheckbox id={c.id} label={`Select conversation with ${customerLabel(c)}`} />
              </TableCell>
              <TableCell>
                <div className="flex flex-col gap-1">
                  <CustomerName customer={c.customer} href={openHref} />
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
              <TableCell>
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
              <TableCell>{c.supportAgent ?? muted}</TableCell>
              <TableCell>
                <LocalTime value={c.startedAt} />
              </TableCell>
              <TableCell className="tabular-nums">
                {formatDuration(c.startedAt, c.endedAt) ?? muted}
              </TableCell>
              <TableCell className="tabular-nums" data-testid="e2e-p90-cell">
                {c.e2eP90Ms === null ? muted : `${Math.round(c.e2eP90Ms).toLocaleString("en-US")} ms`}
              </TableCell>
              <TableCell data-testid="agents-cell">
                <AgentStack agents={c.agents} />
              </TableCell>
              <TableCell data-testid="queues-cell">
                <QueueLabel queues={c.queues} />
              </TableCell>
              <TableCell data-testid="skills-cell">
                <SkillsLabel skills={c.skills} />
              </TableCell>
              <TableCell data-testid="status-cell">
                <StatusCell status={c.status} smartStatus={c.smartStatus} />
              </TableCell>
              <TableCell>
                <CsatScore score={c.csatScore} triggered={c.csatTriggered} />
              </TableCell>
              <TableCell>
                <NpsScore score={c.npsScore} triggered={c.npsTriggered} />
              </TableCell>
              <TableCell>
                <LikeDislike liked={c.liked} triggered={c.likeTriggered} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
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
