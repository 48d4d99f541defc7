import {
  AgentStack,
  ChannelLabel,
  CsatScore,
  CustomerName,
  DirectionLabel,
  LanguageLabel,
  QueueLabel,
  StatusBadge,
} from "@/components/conversation-cells";
import { LocalTime } from "@/components/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDuration } from "@/lib/conversations/format";
import type { ConversationListItem } from "@/lib/conversations/list";

export function ConversationsTable({ conversations }: { conversations: ConversationListItem[] }) {
  return (
    <Table aria-label="Conversations">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Customer</TableHead>
          <TableHead>Channel</TableHead>
          <TableHead>Direction</TableHead>
          <TableHead>Language</TableHead>
          <TableHead>Agents</TableHead>
          <TableHead>Queue</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Start time</TableHead>
          <TableHead>Duration</TableHead>
          <TableHead>CSAT</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {conversations.map((c) => (
          <TableRow key={c.id} data-testid="conversation-row">
            <TableCell>
              <CustomerName customer={c.customer} />
            </TableCell>
            <TableCell>
              <ChannelLabel channel={c.channel} />
            </TableCell>
            <TableCell>
              <DirectionLabel direction={c.direction} />
            </TableCell>
            <TableCell>
              <LanguageLabel language={c.language} />
            </TableCell>
            <TableCell data-testid="agents-cell">
              <AgentStack agents={c.agents} />
            </TableCell>
            <TableCell>
              <QueueLabel queues={c.queues} />
            </TableCell>
            <TableCell>
              <StatusBadge status={c.status} />
            </TableCell>
            <TableCell>
              <LocalTime value={c.startedAt} />
            </TableCell>
            <TableCell className="tabular-nums">{formatDuration(c.startedAt, c.endedAt) ?? "—"}</TableCell>
            <TableCell>
              <CsatScore score={c.csatScore} triggered={c.csatTriggered} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
