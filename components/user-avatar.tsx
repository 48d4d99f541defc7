import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";

export type AvatarUser = { id: string; name: string; avatarUpdatedAt: Date | string | null };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

/**
 * A user's picture or their initials. Shown at most 32 px, so the 64 px rendition covers 2x screens;
 * the URL is versioned so browsers may cache it.
 */
export function UserAvatar({ user, className }: { user: AvatarUser; className?: string }) {
  const version = user.avatarUpdatedAt ? new Date(user.avatarUpdatedAt).getTime() : null;
  return (
    <Avatar className={className}>
      {version !== null && <AvatarImage src={`/api/avatars/${user.id}?size=64&v=${version}`} alt="" />}
      <AvatarFallback className="bg-primary/10 text-primary">{initials(user.name)}</AvatarFallback>
    </Avatar>
  );
}
