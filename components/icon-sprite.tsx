"use client";

// A client module although it has no state: the sprite's markup then reaches the browser once, in the
// HTML, instead of a second time in the RSC payload a server component's output travels in.
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

/**
 * An icon from the sprite; decorative (aria-hidden) like the inline icons it replaces, except inside
 * an element with role="img", whose content is presentational anyway. Its size and lucide's stroke
 * settings come from the .icon class (globals.css), not attributes on every copy.
 */
export function SpriteIcon({
  name,
  className,
  presentational = false,
}: {
  name: SpriteIconName;
  className?: string;
  presentational?: boolean;
}) {
  return (
    // biome-ignore lint/a11y/noSvgWithoutTitle: decorative, or inside a role="img" element that names it
    <svg
      aria-hidden={presentational ? undefined : "true"}
      className={className ? `icon ${className}` : "icon"}
    >
      <use href={`#icon-${name}`} />
    </svg>
  );
}
