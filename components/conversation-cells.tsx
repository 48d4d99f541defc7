import { ArrowDownLeft, ArrowUpRight, Mail, MessageSquare, Phone } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { SpriteIcon, type SpriteIconName } from "@/components/icon-sprite";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { type AvatarUser, UserAvatar } from "@/components/user-avatar";
import type { ConversationListItem } from "@/lib/conversations/list";
import { SMART_STATUS_LABELS, STATUS_LABELS } from "@/lib/conversations/status";

// Cells shared by the Conversations and Monitor tables. Their repeated styles are classes in
// globals.css (.customer, .conversation-icons, .agent-stack, .status, .score…): a list page has 50 rows.

/** An empty cell. */
const none = <span className="dash">—</span>;

/** A customer's contact as the cells read it (the list's rows leave out empty fields). */
export type CustomerCellData = Partial<ConversationListItem["customer"]>;

/** The customer as a label names them ("Actions for …"). */
export function customerLabel(customer: CustomerCellData): string {
  return customer.name ?? customer.userRef ?? "unknown customer";
}

/**
 * The customer's name with their phone number and e-mail address beneath, or, when the server
 * obscured those, their internal User ID (shown once: it also stands in for a missing name).
 */
export function CustomerName({
  customer,
  href,
  compact = false,
}: {
  customer: CustomerCellData;
  /** Makes the name a link (the list opens the conversation's panel with it). */
  href?: string;
  /** One line: the contact details only on hover (the list's compact density). */
  compact?: boolean;
}) {
  const { name, userRef } = customer;
  const details = customer.obscured
    ? [name && userRef && `User ID ${userRef}`]
    : [customer.phone, customer.email];
  const title = name ? (
    <span className="font-medium">{name}</span>
  ) : userRef ? (
    <span className="font-mono text-xs">{userRef}</span>
  ) : (
    <span className="text-muted-foreground">Unknown customer</span>
  );
  const shown = details.filter(Boolean) as string[];
  return (
    <span
      className="customer"
      data-testid="customer-cell"
      title={compact && shown.length > 0 ? shown.join(" · ") : undefined}
    >
      {href ? (
        <Link
          href={href}
          scroll={false}
          // A table has a link a row: prefetching them all would be a server render each.
          prefetch={false}
        >
          {title}
        </Link>
      ) : (
        title
      )}
      {(compact ? [] : details).map((line) => line && <span key={line}>{line}</span>)}
    </span>
  );
}

/** Each channel's name and icon: the list, Monitor and the Insights panel header show the same. */
export const CHANNELS = {
  voice: { label: "Voice", Icon: Phone, sprite: "phone" },
  chat: { label: "Chat", Icon: MessageSquare, sprite: "message-square" },
  email: { label: "Email", Icon: Mail, sprite: "mail" },
} as const;

/** Each direction's name and icon, shared like CHANNELS. */
export const DIRECTIONS = {
  inbound: { label: "Inbound", Icon: ArrowDownLeft },
  outbound: { label: "Outbound", Icon: ArrowUpRight },
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
  const { label, Icon } = DIRECTIONS[direction];
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className="size-4 text-muted-foreground" aria-hidden />
      {label}
    </span>
  );
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

/** "English" for "en"; the code itself when it is not a BCP 47 tag. */
export function languageName(language: string): string {
  try {
    return languageNames.of(language) ?? language;
  } catch {
    return language; // not a valid BCP 47 tag: the code alone
  }
}

export function LanguageLabel({ language }: { language: string }) {
  return (
    <abbr title={languageName(language)} className="no-underline">
      {language}
    </abbr>
  );
}

/**
 * Direction, language and channel as icons, each named for screen readers and on hover. The
 * language's name comes from the server (languageName): the browser's Intl may name it differently.
 */
export function ConversationIcons({
  direction,
  language,
  languageName,
  channel,
}: Pick<ConversationListItem, "direction" | "language" | "channel"> & { languageName: string }) {
  const { label: directionName } = DIRECTIONS[direction];
  const { label: channelName, sprite } = CHANNELS[channel];
  const icons: { label: string; name: SpriteIconName; text?: string }[] = [
    { label: directionName, name: direction === "inbound" ? "arrow-down-left" : "arrow-up-right" },
    { label: `Language: ${languageName}`, name: "languages", text: language },
    { label: `Channel: ${channelName}`, name: sprite },
  ];
  // Named by their title (the accessible name of an image without aria-label, and the hover text);
  // an image's content is presentational, so the icon and the code inside need no aria-hidden.
  return (
    <span className="conversation-icons" data-testid="conversation-icons">
      {icons.map(({ label, name, text }) => (
        <span key={label} role="img" title={label}>
          <SpriteIcon name={name} presentational />
          {text && <span>{text}</span>}
        </span>
      ))}
    </span>
  );
}

/** Participants' pictures in join order; names on hover and for screen readers. */
export function AgentStack({ agents }: { agents: AvatarUser[] }) {
  if (agents.length === 0) return none;
  return (
    <div className="agent-stack">
      <ul className="sr-only">
        {agents.map((agent) => (
          <li key={agent.id}>{agent.name}</li>
        ))}
      </ul>
      <div aria-hidden>
        {agents.map((agent) => (
          <Tooltip key={agent.id}>
            <TooltipTrigger asChild>
              <UserAvatar user={agent} />
            </TooltipTrigger>
            <TooltipContent>{agent.name}</TooltipContent>
          </Tooltip>
        ))}
      </div>
    </div>
  );
}

/**
 * One name with +N for the others; hover or focus shows them all, in order (`ordered`) or as a set.
 * Queues show the last one entered, skills the first.
 */
function OverflowList({
  items,
  shown,
  ordered,
  label,
}: {
  items: string[];
  shown: string;
  ordered: boolean;
  label: string;
}) {
  if (items.length === 1) return <span>{shown}</span>;
  const List = ordered ? "ol" : "ul";
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <button type="button" aria-label={`${shown} and ${items.length - 1} more ${label}`} className="more">
          {shown}
          <Badge variant="muted">{`+${items.length - 1}`}</Badge>
        </button>
      </TooltipTrigger>
      <TooltipContent>
        <List className={cn("pl-4", ordered ? "list-decimal" : "list-disc")}>
          {items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a conversation may re-enter the same queue
            <li key={i}>{item}</li>
          ))}
        </List>
      </TooltipContent>
    </Tooltip>
  );
}

/** The last queue, with +N for the earlier ones; hover lists them in the order entered. */
export function QueueLabel({ queues }: { queues: string[] }) {
  const last = queues.at(-1);
  return last ? <OverflowList items={queues} shown={last} ordered label="queues" /> : none;
}

/** One skill, with +N for the others; hover lists them all. */
export function SkillsLabel({ skills }: { skills: string[] }) {
  const first = skills[0];
  return first ? <OverflowList items={skills} shown={first} ordered={false} label="skills" /> : none;
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

/** The status, with the SmartStatus beneath it when the platform reported one. */
export function StatusCell({ status, smartStatus }: Pick<ConversationListItem, "status" | "smartStatus">) {
  return (
    <span className="status">
      <StatusBadge status={status} />
      {smartStatus && (
        <span>
          <span className="sr-only">SmartStatus: </span>
          {SMART_STATUS_LABELS[smartStatus]}
        </span>
      )}
    </span>
  );
}

/** A survey answer: the score when given; a gray icon when the survey went out without an answer. */
function SurveyScore({
  score,
  triggered,
  icon,
  outOf,
}: {
  score: number | null;
  triggered: boolean;
  icon: (className: string) => ReactNode;
  outOf: number;
}) {
  if (score !== null) {
    return (
      <span className="score">
        {icon("fill-amber-400 text-amber-500")}
        {score}
        <span className="sr-only">{` out of ${outOf}`}</span>
      </span>
    );
  }
  if (triggered) {
    return (
      <span className="score" title="Survey sent, no response">
        {icon("text-muted-foreground/50")}
        <span className="sr-only">Survey sent, no response</span>
      </span>
    );
  }
  return none;
}

export function CsatScore({ score, triggered }: { score: number | null; triggered: boolean }) {
  return (
    <SurveyScore
      score={score}
      triggered={triggered}
      outOf={5}
      icon={(c) => <SpriteIcon name="star" className={c} />}
    />
  );
}

export function NpsScore({ score, triggered }: { score: number | null; triggered: boolean }) {
  return (
    <SurveyScore
      score={score}
      triggered={triggered}
      outOf={10}
      icon={(c) => <SpriteIcon name="gauge" className={cn(c, "fill-none")} />}
    />
  );
}

/** The customer's like or dislike highlighted; both gray when asked without an answer. */
export function LikeDislike({ liked, triggered }: { liked: boolean | null; triggered: boolean }) {
  if (liked === null && !triggered) return none;
  const label = liked === true ? "Liked" : liked === false ? "Disliked" : "Asked, no response";
  return (
    // Named by its title, like ConversationIcons.
    <span className="score" role="img" title={label}>
      <SpriteIcon
        presentational
        name="thumbs-up"
        className={liked === true ? "fill-emerald-500 text-emerald-600" : "text-muted-foreground/40"}
      />
      <SpriteIcon
        presentational
        name="thumbs-down"
        className={liked === false ? "fill-red-500 text-red-600" : "text-muted-foreground/40"}
      />
    </span>
  );
}
