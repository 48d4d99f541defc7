import { CircleAlert, Headset } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DetectTimeZone } from "@/components/time-zone";
import { getDb } from "@/db/index";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { ROLE_LABELS, ROLES } from "@/lib/auth/permissions";
import { getViewer } from "@/lib/auth/viewer";
import { demoLoginEnabled, ssoConfigured } from "@/lib/config/env";
import { listUsers } from "@/lib/users/queries";
import { DemoUserButton, SsoButton } from "./_components/sign-in-buttons";

export const metadata: Metadata = { title: "Sign in" };

// next-auth sends failed sign-ins here with ?error=<code>.
const ERRORS: Record<string, string> = {
  CredentialsSignin: "That user cannot sign in. They may have been deactivated.",
  AccessDenied: "Your account is not set up in Parley yet. Ask an administrator to add you.",
  SessionRequired: "Please sign in to continue.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getViewer()) redirect(callbackUrl);

  const demo = demoLoginEnabled();
  const sso = ssoConfigured();
  const users = demo ? await listUsers(getDb(), { active: true }) : [];
  const error =
    typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : null;

  return (
    <main className="flex min-h-dvh items-start justify-center bg-surface px-4 py-12 sm:items-center">
      {/* The browser's zone, adopted as the user's at sign-in (lib/auth/viewer.ts). */}
      <DetectTimeZone />
      <div className="w-full max-w-2xl rounded-xl border border-border bg-background p-6 shadow-sm sm:p-8">
        <div className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight">
          <Headset className="size-6 text-primary" aria-hidden />
          Parley
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>

        {error && (
          <p
            role="alert"
            className="mt-4 flex items-start gap-2 rounded-md bg-red-50 p-3 text-sm text-red-800"
          >
            <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            {error}
          </p>
        )}

        {sso && (
          <div className="mt-6">
            <SsoButton callbackUrl={callbackUrl} />
          </div>
        )}

        {demo && (
          <div className="mt-6">
            <p className="text-sm text-muted-foreground">
              Demo sign-in: choose a user to continue as them. No password is needed.
            </p>
            {users.length === 0 && <p className="mt-4 text-sm">There are no users yet.</p>}
            {ROLES.map((role) => {
              const group = users.filter((u) => u.role === role);
              if (group.length === 0) return null;
              return (
                <section key={role} aria-labelledby={`role-${role}`} className="mt-5">
                  <h2
                    id={`role-${role}`}
                    className="mb-2 text-xs font-medium uppercase tracking-wide text-muted-foreground"
                  >
                    {ROLE_LABELS[role]}
                  </h2>
                  <ul className="grid gap-2 sm:grid-cols-2">
                    {group.map((user) => (
                      <li key={user.id}>
                        {/* Pictures are served to signed-in users only, so initials here. */}
                        <DemoUserButton
                          user={{ id: user.id, name: user.name, avatarUpdatedAt: null }}
                          email={user.email}
                          callbackUrl={callbackUrl}
                        />
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        )}

        {!demo && !sso && (
          <p className="mt-6 text-sm text-muted-foreground">
            No sign-in method is configured. Set OIDC_ISSUER and OIDC_CLIENT_ID, or enable demo sign-in with
            PARLEY_DEMO_LOGIN=1.
          </p>
        )}
      </div>
    </main>
  );
}
