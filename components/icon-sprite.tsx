import {
  ArrowDownLeft,
  ArrowUpRight,
  Gauge,
  Languages,
  type LucideIcon,
  Mail,
  MessageSquare,
  MoreVertical,
  Phone,
  Star,
  ThumbsDown,
  ThumbsUp,
} from "lucide-react";
import { cn } from "@/components/ui/cn";

// Icons a table repeats on every row, drawn once per page: the shell renders the sprite (a few KB)
// and each row references it with <use>, instead of 50 rows × 8 inline copies of the same paths.
// The symbols inherit fill and stroke from the referencing <svg>, so classes like fill-amber-400 work.
const ICONS = {
  "arrow-down-left": ArrowDownLeft,
  "arrow-up-right": ArrowUpRight,
  gauge: Gauge,
  languages: Languages,
  mail: Mail,
  "message-square": MessageSquare,
  "more-vertical": MoreVertical,
  phone: Phone,
  star: Star,
  "thumbs-down": ThumbsDown,
  "thumbs-up": ThumbsUp,
} satisfies Record<string, LucideIcon>;

export type SpriteIconName = keyof typeof ICONS;

/** Rendered once by the app shell. */
export function IconSprite() {
  return (
    <svg aria-hidden="true" className="absolute size-0 overflow-hidden" focusable="false">
      <title>Icons</title>
      {Object.entries(ICONS).map(([name, Icon]) => (
        <symbol key={name} id={`icon-${name}`} viewBox="0 0 24 24">
          <Icon fill="inherit" stroke="inherit" strokeWidth="inherit" />
        </symbol>
      ))}
    </svg>
  );
}

/** An icon from the sprite; decorative (aria-hidden) like the inline icons it replaces. */
export function SpriteIcon({ name, className }: { name: SpriteIconName; className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={cn("size-4 shrink-0", className)}
    >
      <use href={`#icon-${name}`} />
    </svg>
  );
}
