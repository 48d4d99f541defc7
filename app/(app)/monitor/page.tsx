import { Radio } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentStack, ChannelLabel, CustomerName, QueueLabel } from "@/components/conversation-cells";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
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
import {
  listInterventionTargets,
  listOngoingConversations,
  MONITOR_LIMIT,
} from "@/lib/conversations/ongoing";
import { listPlatformActions } from "@/lib/platform/actions";
import { LiveRefresh } from "../conversations/_components/live-refresh";
import { Elapsed } from "./_components/elapsed";
import { SupervisorActions } from "./_components/supervisor-actions";

export const metadata: Metadata = { title: "Monitor" };

export default async function MonitorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requirePermission("monitor:view");
  const db = getDb();
  const live = await listOngoingConversations(db, viewer);
  // Supervisor View from the Conversations list arrives with ?conversation=<id>: that row is selected.
  const { conversation } = await searchParams;
  const selectedId = typeof conversation === "string" ? conversation : null;
  const selected = live.find((c) => c.id === selectedId) ?? null;
  const canIntervene = can(viewer.role, "monitor:intervene");
  // Only a conversation the viewer sees in progress gets the panel, so its id is in scope.
  const [actions, targets] = selected
    ? await Promise.all([
        listPlatformActions(db, selected.id),
        canIntervene ? listInterventionTargets(db) : { agents: [], queues: [] },
      ])
    : [[], { agents: [], queues: [] }];
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
        <LiveRefresh watch={{ ids: live.map((c) => c.id), from: null, to: null }} />
      </div>
      {selectedId && !selected && (
        <p className="mb-3 text-sm text-muted-foreground" role="status">
          That conversation is no longer in progress.{" "}
          <Link href={`/conversations?open=${encodeURIComponent(selectedId)}`} className="underline">
            Open it in Conversations
          </Link>
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <TableCard>
          {live.length === 0 ? (
            <TableEmpty icon={Radio} title="No conversations in progress" className="py-16" />
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
                      <CustomerName customer={c.customer} href={`/monitor?conversation=${c.id}`} />
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
                      <Elapsed from={c.startedAt} to={c.handledSince} />
                    </TableCell>
                    <TableCell>
                      {c.handledSince ? (
                        <Elapsed from={c.handledSince} to={null} />
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
          {live.length === MONITOR_LIMIT && (
            <p className="px-4 py-3 text-sm text-muted-foreground">
              Showing the {MONITOR_LIMIT} most recent.
            </p>
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
