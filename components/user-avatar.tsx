import type { ComponentProps } from "react";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";

export type AvatarUser = { id: string; name: string; avatarUpdatedAt?: Date | string | null };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

/**
 * A user's picture or their initials. Shown at most 32 px, so the 64 px rendition covers 2x screens;
 * the URL is versioned so browsers may cache it.
 */
export function UserAvatar({
  user,
  className,
  ...props
}: { user: AvatarUser; className?: string } & Omit<ComponentProps<typeof Avatar>, "children">) {
  const version = user.avatarUpdatedAt ? new Date(user.avatarUpdatedAt).getTime() : null;
  // Other props (a tooltip trigger's) go to the root, so the picture itself can be the trigger.
  return (
    <Avatar className={className} {...props}>
      {version !== null && <AvatarImage src={`/api/avatars/${user.id}?size=64&v=${version}`} alt="" />}
      <AvatarFallback>{initials(user.name)}</AvatarFallback>
    </Avatar>
  );
}
