import { ArrowDownLeft, ArrowUpRight, Mail, MessageSquare, Phone, Star } from "lucide-react";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { UserAvatar } from "@/components/user-avatar";
import type { ConversationAgent, ConversationListItem } from "@/lib/conversations/list";
import { STATUS_LABELS } from "@/lib/conversations/status";

// Cells shared by the Conversations and Monitor tables.

/**
 * The customer's name with their phone number and e-mail address beneath, or, when the server
 * obscured those, their internal User ID (shown once: it also stands in for a missing name).
 */
export function CustomerName({ customer }: { customer: ConversationListItem["customer"] }) {
  const { name, userRef } = customer;
  const details = customer.obscured
    ? [name && userRef && `User ID ${userRef}`]
    : [customer.phone, customer.email];
  return (
    <span className="flex flex-col leading-tight" data-testid="customer-cell">
      {name ? (
        <span className="font-medium">{name}</span>
      ) : userRef ? (
        <span className="font-mono text-xs">{userRef}</span>
      ) : (
        <span className="text-muted-foreground">Unknown customer</span>
      )}
      {details.map(
        (line) =>
          line && (
            <span key={line} className="text-xs text-muted-foreground">
              {line}
            </span>
          ),
      )}
    </span>
  );
}

const CHANNELS = {
  voice: { label: "Voice", Icon: Phone },
  chat: { label: "Chat", Icon: MessageSquare },
  email: { label: "Email", Icon: Mail },
} as const;

export function ChannelLabel({ channel }: { channel: ConversationListItem["channel"] }) {
  const { label, Icon } = CHANNELS[channel];
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className="size-4 text-muted-foreground" aria-hidden />
      {label}
    </span>
  );
}

export function DirectionLabel({ direction }: { direction: ConversationListItem["direction"] }) {
  const Icon = direction === "inbound" ? ArrowDownLeft : ArrowUpRight;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className="size-4 text-muted-foreground" aria-hidden />
      {direction === "inbound" ? "Inbound" : "Outbound"}
    </span>
  );
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

export function LanguageLabel({ language }: { language: string }) {
  let name: string | undefined;
  try {
    name = languageNames.of(language);
  } catch {
    // Not a valid BCP 47 tag: the code alone is shown.
  }
  return (
    <abbr title={name} className="no-underline">
      {language}
    </abbr>
  );
}

/** Participants' pictures in join order; names on hover and for screen readers. */
export function AgentStack({ agents }: { agents: ConversationAgent[] }) {
  if (agents.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="flex items-center">
      <ul className="sr-only">
        {agents.map((agent) => (
          <li key={agent.id}>{agent.name}</li>
        ))}
      </ul>
      <div className="flex -space-x-2" aria-hidden>
        {agents.map((agent) => (
          <Tooltip key={agent.id}>
            <TooltipTrigger asChild>
              <span className="rounded-full ring-2 ring-background">
                <UserAvatar user={agent} className="size-7" />
              </span>
            </TooltipTrigger>
            <TooltipContent>{agent.name}</TooltipContent>
          </Tooltip>
        ))}
      </div>
    </div>
  );
}

/** The last queue, with +N for the earlier ones; hover lists them in the order entered. */
export function QueueLabel({ queues }: { queues: string[] }) {
  const last = queues.at(-1);
  if (!last) return <span className="text-muted-foreground">—</span>;
  if (queues.length === 1) return <span>{last}</span>;
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <button
          type="button"
          className="inline-flex items-center gap-1.5 rounded-sm outline-none focus-visible:ring-2 focus-visible:ring-ring"
        >
          {last}
          <Badge variant="muted">+{queues.length - 1}</Badge>
        </button>
      </TooltipTrigger>
      <TooltipContent>
        <ol className="list-decimal pl-4">
          {queues.map((queue, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a conversation may re-enter the same queue
            <li key={i}>{queue}</li>
          ))}
        </ol>
      </TooltipContent>
    </Tooltip>
  );
}

const STATUS_VARIANTS: Record<ConversationListItem["status"], BadgeProps["variant"]> = {
  in_progress: "info",
  error: "danger",
  completed_drop_off: "warning",
  completed_user_hangup: "muted",
  completed_ai_agent_hangup: "success",
  completed: "success",
};

export function StatusBadge({ status }: { status: ConversationListItem["status"] }) {
  return <Badge variant={STATUS_VARIANTS[status]}>{STATUS_LABELS[status]}</Badge>;
}

/** The score; a gray star when the survey went out without an answer; a dash when none was sent. */
export function CsatScore({ score, triggered }: { score: number | null; triggered: boolean }) {
  if (score !== null) {
    return (
      <span className="inline-flex items-center gap-1">
        <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden />
        <span>
          {score}
          <span className="sr-only"> out of 5</span>
        </span>
      </span>
    );
  }
  if (triggered) {
    return (
      <span className="inline-flex items-center" title="Survey sent, no response">
        <Star className="size-4 text-muted-foreground/50" aria-hidden />
        <span className="sr-only">Survey sent, no response</span>
      </span>
    );
  }
  return <span className="text-muted-foreground">—</span>;
}
