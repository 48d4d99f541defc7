import { Radio } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentStack, ChannelLabel, CustomerName, QueueLabel } from "@/components/conversation-cells";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { listConversations } from "@/lib/conversations/list";

export const metadata: Metadata = { title: "Monitor" };

const LIMIT = 200;

export default async function MonitorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requirePermission("monitor:view");
  const { items: live } = await listConversations(getDb(), viewer, { status: ["in_progress"], limit: LIMIT });
  // Supervisor View from the Conversations list arrives with ?conversation=<id>: that row is marked.
  const { conversation } = await searchParams;
  const selected = typeof conversation === "string" ? conversation : null;
  const selectedEnded = selected !== null && !live.some((c) => c.id === selected);
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <PageHeader
        title="Monitor"
        description={
          can(viewer.role, "conversations:read-all")
            ? "Conversations in progress right now, newest first."
            : "Your conversations in progress right now, newest first."
        }
      />
      {selectedEnded && (
        <p className="mb-3 text-sm text-muted-foreground" role="status">
          That conversation is no longer in progress.{" "}
          <Link href={`/conversations?open=${encodeURIComponent(selected)}`} className="underline">
            Open it in Conversations
          </Link>
        </p>
      )}
      <div className="rounded-lg border border-border bg-background shadow-xs">
        {live.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-4 py-16 text-center">
            <Radio className="size-8 text-muted-foreground" aria-hidden />
            <p className="font-medium">No conversations in progress</p>
          </div>
        ) : (
          <Table aria-label="Conversations in progress">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Customer</TableHead>
                <TableHead>Channel</TableHead>
                <TableHead>Queue</TableHead>
                <TableHead>Agents</TableHead>
                <TableHead>Started</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {live.map((c) => (
                <TableRow
                  key={c.id}
                  data-testid="live-conversation-row"
                  aria-current={c.id === selected ? "true" : undefined}
                  className={c.id === selected ? "bg-primary/5" : undefined}
                >
                  <TableCell>
                    <CustomerName customer={c.customer} />
                  </TableCell>
                  <TableCell>
                    <ChannelLabel channel={c.channel} />
                  </TableCell>
                  <TableCell>
                    <QueueLabel queues={c.queues} />
                  </TableCell>
                  <TableCell data-testid="agents-cell">
                    <AgentStack agents={c.agents} />
                  </TableCell>
                  <TableCell>
                    <LocalTime value={c.startedAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      {live.length === LIMIT && (
        <p className="mt-3 text-sm text-muted-foreground">Showing the {LIMIT} most recent.</p>
      )}
    </div>
  );
}
