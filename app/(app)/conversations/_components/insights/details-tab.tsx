import { Star } from "lucide-react";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import type { ConversationDetail } from "@/lib/conversations/detail";
import { formatDuration } from "@/lib/conversations/format";
import { Field, FieldList, TagList } from "./field-list";

const list = (names: string[]) => names.join(", ");
const capitalize = (s: string | null) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : null);

export function DetailsTab({
  details,
  dispositionControls,
}: {
  details: ConversationDetail["details"];
  /** Edit Disposition and View Logs (disposition-controls.tsx), placed under the disposition. */
  dispositionControls?: ReactNode;
}) {
  const { csat, disposition } = details;
  return (
    <FieldList label="Details">
      <Field label="Start">
        <LocalTime value={details.start} />
      </Field>
      <Field label="End">{details.end ? <LocalTime value={details.end} /> : "In progress"}</Field>
      <Field label="Agents">{list(details.agents)}</Field>
      <Field label="Consulting agents">{list(details.consultingAgents)}</Field>
      <Field label="Joined Users">{list(details.joinedUsers)}</Field>
      <Field label="Queues">
        {details.queues.length > 0 && (
          <ol className="flex flex-wrap items-center gap-1" aria-label="Queues in the order entered">
            {details.queues.map((queue, i) => (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: a conversation may re-enter the same queue
                key={i}
                className="after:ml-1 after:text-muted-foreground after:content-['→'] last:after:content-none"
              >
                {queue}
              </li>
            ))}
          </ol>
        )}
      </Field>
      <Field label="Status">
        <span className="inline-flex flex-wrap items-center gap-2">
          {details.statusLabel}
          {details.smartStatusLabel && (
            <Badge variant="muted" title="SmartStatus">
              <span className="sr-only">SmartStatus: </span>
              {details.smartStatusLabel}
            </Badge>
          )}
        </span>
      </Field>
      <Field label="Mode">{capitalize(details.mode)}</Field>
      <Field label="CSAT">
        {csat.score !== null ? (
          <span className="grid gap-1">
            <span className="inline-flex items-center gap-1">
              <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden />
              {csat.score} out of 5
            </span>
            {csat.feedback && <q className="text-muted-foreground">{csat.feedback}</q>}
          </span>
        ) : csat.triggered ? (
          <span className="text-muted-foreground">Survey sent, no response</span>
        ) : null}
      </Field>
      <Field label="Disposition">
        {(disposition || dispositionControls) && (
          <span className="grid gap-0.5">
            {disposition ? (
              <span>{disposition.label}</span>
            ) : (
              <span className="text-muted-foreground">—</span>
            )}
            {disposition?.note && <span className="text-muted-foreground">{disposition.note}</span>}
            {dispositionControls}
          </span>
        )}
      </Field>
      <Field label="Notes">
        {details.notes.length > 0 && (
          <ul className="grid gap-2">
            {details.notes.map((note) => (
              <li key={`${note.createdAt.getTime()}-${note.body}`} className="grid gap-0.5">
                <span className="whitespace-pre-wrap">{note.body}</span>
                <span className="text-xs text-muted-foreground">
                  {note.author ?? "Unknown author"} · <LocalTime value={note.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Field>
      <Field label="Snooze Count">{String(details.snoozeCount)}</Field>
      <Field label="Snooze Duration">
        {formatDuration(new Date(0), new Date(details.snoozeDurationSeconds * 1000))}
      </Field>
      <Field label="Campaign Name">{details.campaignName}</Field>
      <Field label="Session-level tags">
        {details.sessionTags.length > 0 && <TagList tags={details.sessionTags} />}
      </Field>
    </FieldList>
  );
}
