import { ArrowRightLeft, CirclePause, EarOff, TriangleAlert } from "lucide-react";
import { HighlightedText } from "@/components/highlighted-text";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import type { TranscriptEntry, TranscriptMessage, TranscriptPause } from "@/lib/conversations/detail";
import { formatDuration } from "@/lib/conversations/format";
import { LATENCY_METRICS, type Latencies } from "@/lib/conversations/latency";
import { SPEAKER_LABELS } from "@/lib/conversations/transcript-labels";
import type { TimeDisplayFormat } from "@/lib/conversations/transcript-time";
import { EmailDetails } from "./email-details";
import { TranscriptTime } from "./transcript-time";

// One rendering for transcript entries, used for the server-rendered first page and for the pages
// "Show more" loads in the browser.

type TimeProps = { format: TimeDisplayFormat; start: Date };

export function TranscriptEntries({ entries, ...time }: { entries: TranscriptEntry[] } & TimeProps) {
  return (
    <>
      {entries.map((entry) =>
        entry.type === "pause" ? (
          <PauseNote key={`pause-${entry.at.getTime()}`} pause={entry} {...time} />
        ) : entry.label ? (
          <StageNote key={entry.seq} message={entry} {...time} />
        ) : (
          <Message key={entry.seq} message={entry} {...time} />
        ),
      )}
    </>
  );
}

const STAGE_ICONS: Partial<Record<TranscriptMessage["kind"], typeof ArrowRightLeft>> = {
  transfer_to_agent: ArrowRightLeft,
  transfer_to_automation: ArrowRightLeft,
  max_no_input: TriangleAlert,
  llm_error: TriangleAlert,
};

function StageNote({ message, format, start }: { message: TranscriptMessage } & TimeProps) {
  const Icon = STAGE_ICONS[message.kind] ?? ArrowRightLeft;
  const error = message.kind === "llm_error";
  // A body that restates the label with more to say ("… (queue Billing)") replaces it rather than repeating it.
  const detailed = !!message.label && message.body.startsWith(message.label);
  return (
    <li
      className={cn(
        "flex items-start gap-2 rounded-md border px-3 py-2 text-sm",
        error ? "border-destructive/40 bg-destructive/5" : "border-dashed bg-muted/40",
      )}
      data-testid="transcript-stage"
    >
      <Icon
        className={cn("mt-0.5 size-4 shrink-0", error ? "text-destructive" : "text-muted-foreground")}
        aria-hidden
      />
      <div className="grid min-w-0 flex-1 gap-0.5">
        <span className="font-medium">{detailed ? message.body : message.label}</span>
        {message.body && !detailed && <span className="text-muted-foreground">{message.body}</span>}
      </div>
      <TranscriptTime format={format} start={start} at={message.at} />
    </li>
  );
}

function PauseNote({ pause, format, start }: { pause: TranscriptPause } & TimeProps) {
  const Icon = pause.reason === "hold" ? CirclePause : EarOff;
  return (
    <li
      className="flex items-center gap-2 rounded-md border border-dashed px-3 py-2 text-sm text-muted-foreground"
      data-testid="transcript-pause"
    >
      <Icon className="size-4 shrink-0" aria-hidden />
      <span className="flex-1">
        {pause.label}
        <span className="ml-1 tabular-nums">({formatDuration(pause.at, pause.endedAt)})</span>
      </span>
      <TranscriptTime format={format} start={start} at={pause.at} />
    </li>
  );
}

const SPEAKER_STYLES: Record<TranscriptMessage["speaker"], string> = {
  customer: "border-l-sky-500",
  ai_agent: "border-l-violet-500",
  agent: "border-l-emerald-500",
  supervisor_whisper: "border-l-amber-500 bg-amber-500/5",
  system: "border-l-border",
};

function Message({ message, format, start }: { message: TranscriptMessage } & TimeProps) {
  const whisper = message.speaker === "supervisor_whisper";
  return (
    <li
      className={cn(
        "grid min-w-0 gap-1 rounded-md border border-l-4 px-3 py-2",
        SPEAKER_STYLES[message.speaker],
      )}
      data-testid="transcript-message"
      data-speaker={message.speaker}
    >
      <div className="flex items-center gap-2">
        <span className="text-sm font-medium">{message.speakerName}</span>
        {whisper ? (
          <Badge variant="warning">Whisper</Badge>
        ) : (
          message.speakerName !== SPEAKER_LABELS[message.speaker] && (
            <span className="text-xs text-muted-foreground">{SPEAKER_LABELS[message.speaker]}</span>
          )
        )}
        <span className="flex-1" />
        <TranscriptTime format={format} start={start} at={message.at} />
      </div>
      {message.email && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="min-w-0 text-sm font-medium wrap-anywhere" data-testid="email-subject">
            {message.email.subject ?? "(no subject)"}
          </span>
          <EmailDetails email={message.email} />
        </div>
      )}
      {message.body && (
        // wrap-anywhere: a long URL or word breaks inside the bubble (break-words alone still lets it
        // set the grid's minimum width and overflow).
        <p className="min-w-0 text-sm whitespace-pre-wrap wrap-anywhere">
          {message.highlights ? <HighlightedText segments={message.highlights} /> : message.body}
        </p>
      )}
      {message.latency && <LatencyValues latency={message.latency} />}
    </li>
  );
}

/**
 * The four latency values of the voice turn this message answers, in milliseconds (sign kept: a
 * negative value means the platform's timestamps disagree, and hiding that would hide the fault).
 * Each name shows its formula on hover and keyboard focus.
 */
function LatencyValues({ latency }: { latency: Latencies }) {
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground" aria-label="Latency">
      {LATENCY_METRICS.map((metric) => (
        <div key={metric.key} className="flex gap-1" data-testid={`latency-${metric.key}`}>
          <Tooltip>
            <TooltipTrigger asChild>
              <dt
                // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the formula too
                tabIndex={0}
                className="cursor-help underline decoration-dotted underline-offset-2 outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                {metric.short}
              </dt>
            </TooltipTrigger>
            <TooltipContent data-testid="latency-formula">{metric.formula}</TooltipContent>
          </Tooltip>
          <dd className="tabular-nums text-foreground">
            {latency[metric.key] === null ? "—" : `${latency[metric.key]} ms`}
          </dd>
        </div>
      ))}
    </dl>
  );
}
