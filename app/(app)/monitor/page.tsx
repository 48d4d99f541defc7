import { ChevronLeft, ChevronRight, Radio } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AgentStack, ChannelLabel, CustomerName, QueueLabel } from "@/components/conversation-cells";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { buttonVariants } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCard,
  TableCell,
  TableEmpty,
  TableHeaderRow,
  TableRow,
} from "@/components/ui/table";
import { getDb } from "@/db/index";
import { ACCESS_RESTRICTED } from "@/lib/auth/action";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { listFilterOptions } from "@/lib/conversations/filter-options";
import { monitorFiltered, monitorHref, parseMonitorParams } from "@/lib/conversations/monitor-params";
import {
  getOngoingConversation,
  listInterventionTargets,
  listOngoingConversations,
} from "@/lib/conversations/ongoing";
import { listPlatformActions, viewerJoinState } from "@/lib/platform/actions";
import { LiveRefresh } from "../conversations/_components/live-refresh";
import { Elapsed } from "./_components/elapsed";
import { MonitorFilters } from "./_components/monitor-filters";
import { SupervisorActions } from "./_components/supervisor-actions";

export const metadata: Metadata = { title: "Monitor" };

export default async function MonitorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requirePermission("monitor:view");
  const db = getDb();
  const params = parseMonitorParams(await searchParams);
  // Supervisor View from the Conversations list arrives with ?conversation=<id>: that conversation is
  // selected wherever it sits among the live ones (read by id, not looked up on this page).
  const selectedId = params.conversation ?? null;
  const [page, selected, options] = await Promise.all([
    listOngoingConversations(db, viewer, params),
    selectedId ? getOngoingConversation(db, viewer, selectedId) : null,
    listFilterOptions(db),
  ]);
  const live = page.items;
  const renderedAt = new Date(); // one instant for every ticking cell (elapsed.tsx)
  const canIntervene = can(viewer.role, "monitor:intervene");
  // Only a conversation the viewer sees in progress gets the panel, so its id is in scope.
  const [actions, targets, joinState] = selected
    ? await Promise.all([
        listPlatformActions(db, selected.id),
        canIntervene ? listInterventionTargets(db) : { agents: [], queues: [] },
        viewerJoinState(db, viewer.id, selected.id),
      ])
    : [[], { agents: [], queues: [] }, null];
  const filtered = monitorFiltered(params);
  // What this page covers: its rows, the selected one, and its span of start times (null at the
  // end of the list where newer/older ones may enter). A refresh re-reads the page with its filters.
  const watch = {
    ids: [...live.map((c) => c.id), ...(selected ? [selected.id] : [])],
    from: page.next ? (live.at(-1)?.startedAt.toISOString() ?? null) : null,
    to: page.prev ? (live[0]?.startedAt.toISOString() ?? null) : null,
  };
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <PageHeader
          title="Monitor"
          description={
            can(viewer.role, "conversations:read-all")
              ? "Conversations in progress right now, newest first. Select one to join, assign or move it."
              : "Your conversations in progress right now, newest first."
          }
        />
        {/* Any change, and any conversation starting, may concern this page: every start time is in range. */}
        <LiveRefresh watch={watch} />
      </div>
      <MonitorFilters
        key={monitorHref({ ...params, conversation: undefined })}
        params={params}
        options={options}
      />
      {selectedId && !selected && (
        <p className="mb-3 text-sm text-muted-foreground" role="status">
          That conversation is no longer in progress.{" "}
          <Link href={`/conversations?open=${selectedId}`} className="underline">
            Open it in Conversations
          </Link>
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <TableCard>
          {live.length === 0 ? (
            <TableEmpty
              icon={Radio}
              title={filtered ? "No conversations in progress match" : "No conversations in progress"}
              className="py-16"
            />
          ) : (
            <Table aria-label="Conversations in progress">
              <TableHeaderRow
                columns={["Customer", "Channel", "Queue", "Agents", "Waiting", "Handling", "Started"]}
              />
              <TableBody>
                {live.map((c) => (
                  <TableRow
                    key={c.id}
                    data-testid="live-conversation-row"
                    data-conversation-id={c.id}
                    aria-current={c.id === selectedId ? "true" : undefined}
                    className={c.id === selectedId ? "bg-primary/5" : undefined}
                  >
                    <TableCell>
                      <CustomerName
                        customer={c.customer}
                        href={monitorHref(params, { conversation: c.id })}
                      />
                    </TableCell>
                    <TableCell>
                      <ChannelLabel channel={c.channel} />
                    </TableCell>
                    <TableCell data-testid="queue-cell">
                      <QueueLabel queues={c.queues} />
                    </TableCell>
                    <TableCell data-testid="agents-cell">
                      <AgentStack agents={c.agents} />
                    </TableCell>
                    <TableCell>
                      {/* Waiting until an agent takes it; then fixed, and handling starts. */}
                      <Elapsed from={c.startedAt} to={c.handledSince} renderedAt={renderedAt} />
                    </TableCell>
                    <TableCell>
                      {c.handledSince ? (
                        <Elapsed from={c.handledSince} to={null} renderedAt={renderedAt} />
                      ) : (
                        <span className="text-muted-foreground">Not yet</span>
                      )}
                    </TableCell>
                    <TableCell>
                      <LocalTime value={c.startedAt} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {(page.prev || page.next) && (
            <nav
              aria-label="Monitor pages"
              className="flex items-center justify-end gap-1 border-t border-border px-3 py-2"
            >
              <PageLink href={page.prev && monitorHref(params, { before: page.prev, after: undefined })}>
                <ChevronLeft aria-hidden />
                Newer
              </PageLink>
              <PageLink href={page.next && monitorHref(params, { after: page.next, before: undefined })}>
                Older
                <ChevronRight aria-hidden />
              </PageLink>
            </nav>
          )}
        </TableCard>
        <aside aria-label="Selected conversation">
          {selected ? (
            <SupervisorActions
              key={selected.id}
              conversationId={selected.id}
              customerLabel={selected.customer.name ?? selected.customer.userRef ?? "Unknown customer"}
              currentQueue={selected.queues.at(-1) ?? null}
              actions={actions}
              agents={targets.agents}
              queues={targets.queues}
              restrictedReason={canIntervene ? null : ACCESS_RESTRICTED}
              joinState={joinState}
            />
          ) : (
            <p className="rounded-lg border border-dashed border-border p-4 text-sm text-muted-foreground">
              Select an ongoing conversation to join it, assign it to an agent or change its queue.
            </p>
          )}
        </aside>
      </div>
    </div>
  );
}

function PageLink({ href, children }: { href: string | null; children: ReactNode }) {
  const className = buttonVariants({ variant: "ghost", size: "sm" });
  return href ? (
    <Link href={href} className={className}>
      {children}
    </Link>
  ) : (
    <span aria-disabled="true" className={`${className} pointer-events-none opacity-50`}>
      {children}
    </span>
  );
}
