"use client";

import { KeyRound, LoaderCircle } from "lucide-react";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { reportBrowserTimeZone } from "@/components/time-zone";
import { Button } from "@/components/ui/button";
import { type AvatarUser, UserAvatar } from "@/components/user-avatar";

/** Signs in as one demo user (no password); the server accepts it only while demo login is enabled. */
export function DemoUserButton({
  user,
  email,
  callbackUrl,
}: {
  user: AvatarUser;
  email: string;
  callbackUrl: string;
}) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      className="h-auto w-full justify-start gap-3 px-3 py-2 text-left"
      disabled={pending}
      aria-busy={pending}
      onClick={() => {
        setPending(true);
        reportBrowserTimeZone();
        void signIn("demo", { userId: user.id, callbackUrl });
      }}
    >
      <UserAvatar user={user} className="size-8" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{user.name}</span>
        <span className="block truncate text-xs font-normal text-muted-foreground">{email}</span>
      </span>
      {pending && <LoaderCircle className="animate-spin" aria-label="Signing in" />}
    </Button>
  );
}

export function SsoButton({ callbackUrl }: { callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      className="w-full"
      size="lg"
      disabled={pending}
      aria-busy={pending}
      onClick={() => {
        setPending(true);
        reportBrowserTimeZone();
        void signIn("oidc", { callbackUrl });
      }}
    >
      {pending ? <LoaderCircle className="animate-spin" aria-hidden /> : <KeyRound aria-hidden />}
      Sign in with SSO
    </Button>
  );
}
