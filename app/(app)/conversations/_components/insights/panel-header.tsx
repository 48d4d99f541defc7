import { Activity, Angry, CircleHelp, Frown, Languages, type LucideIcon, Meh, Smile } from "lucide-react";
import Link from "next/link";
import { CHANNELS, DIRECTIONS, languageName } from "@/components/conversation-cells";
import { buttonVariants } from "@/components/ui/button";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import type { ConversationDetail } from "@/lib/conversations/detail";

// The icons beside the Insights to Logs header: direction, language, sentiment, channel. Each is an
// image with an accessible name ("Direction: Inbound"), the same text on hover.

const SENTIMENTS: Record<
  NonNullable<ConversationDetail["sentiment"]> | "unknown",
  { label: string; Icon: LucideIcon }
> = {
  positive: { label: "Positive", Icon: Smile },
  neutral: { label: "Neutral", Icon: Meh },
  negative: { label: "Negative", Icon: Frown },
  mixed: { label: "Mixed", Icon: Angry },
  unknown: { label: "Not analysed", Icon: CircleHelp },
};

function HeaderIcon({ label, Icon, text }: { label: string; Icon: LucideIcon; text?: string }) {
  return (
    <li>
      <Tooltip>
        <TooltipTrigger asChild>
          <span
            role="img"
            aria-label={label}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the tooltip too
            tabIndex={0}
            className="inline-flex h-7 items-center gap-1 rounded-md border border-border px-1.5 text-xs text-muted-foreground outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <Icon className="size-4" aria-hidden />
            {text && <span aria-hidden>{text}</span>}
          </span>
        </TooltipTrigger>
        <TooltipContent>{label}</TooltipContent>
      </Tooltip>
    </li>
  );
}

export function PanelHeader({ detail }: { detail: ConversationDetail }) {
  const direction = DIRECTIONS[detail.direction];
  const sentiment = SENTIMENTS[detail.sentiment ?? "unknown"];
  const channel = CHANNELS[detail.channel];
  const customer =
    detail.user.name ?? (detail.user.userId ? `User ID ${detail.user.userId}` : "Unknown customer");
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-border pb-3">
      <div className="min-w-0 flex-1">
        <h2 id="insights-title" className="text-base font-semibold">
          Insights to Logs
        </h2>
        <p className="truncate text-sm text-muted-foreground">{customer}</p>
      </div>
      <ul className="flex items-center gap-1.5" aria-label="Conversation attributes">
        <HeaderIcon label={`Direction: ${direction.label}`} Icon={direction.Icon} />
        <HeaderIcon
          label={`Language: ${languageName(detail.language)}`}
          Icon={Languages}
          text={detail.language}
        />
        <HeaderIcon label={`Sentiment: ${sentiment.label}`} Icon={sentiment.Icon} />
        <HeaderIcon label={`Channel: ${channel.label}`} Icon={channel.Icon} />
      </ul>
      {/* Spec: Diagnostics open from the panel's top-right corner, for voice conversations only. */}
      {detail.channel === "voice" && (
        <Link
          href={`/diagnostics/${detail.id}`}
          className={buttonVariants({ variant: "outline", size: "sm" })}
        >
          <Activity aria-hidden />
          Diagnostics
        </Link>
      )}
    </header>
  );
}
