import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "../../db/index.ts";
import { isTimeZone, processTimeZone, TIME_ZONE_COOKIE } from "../time/format.ts";
import { adoptTimeZone } from "../users/preferences.ts";
import { getUser, type UserAccount } from "../users/queries.ts";
import { authOptions } from "./options.ts";
import { can, type Permission } from "./permissions.ts";
import { sessionRevoked } from "./sessions.ts";

export type Viewer = Omit<UserAccount, "deactivatedAt" | "sessionVersion">;

/**
 * The signed-in user as the database has them now (role included), or null when signed out,
 * deactivated, or the session was ended (signed out: its id is revoked; deactivated or role
 * changed: the token's session version is behind the user's). Cached per request, so layout, page and actions
 * share one lookup.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  await connection(); // per-request by nature: never prerendered at build time
  const session = await getServerSession(authOptions);
  const id = session?.user.id;
  if (!id) return null;
  const sessionId = session.user.sessionId;
  const [user, revoked] = await Promise.all([
    getUser(getDb(), id),
    sessionId ? sessionRevoked(getDb(), sessionId) : false,
  ]);
  if (!user || user.deactivatedAt || revoked || user.sessionVersion !== session.user.sessionVersion)
    return null;
  const { deactivatedAt: _, sessionVersion: __, ...viewer } = user;
  return viewer;
});

/** The viewer, or a redirect to the sign-in page. Every page, action and route handler calls this. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  return viewer;
}

/** The viewer if their role has `permission`; otherwise a 403 "Access restricted" page. */
export async function requirePermission(permission: Permission): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!can(viewer.role, permission)) forbidden();
  return viewer;
}

/**
 * The zone this request renders times in: the viewer's stored zone; else the zone the browser
 * reported at sign-in (a cookie the sign-in page sets), which becomes the stored one; else the
 * server's. Rendering on the server in this zone makes the first paint final (no hydration swap).
 */
export const getViewerClock = cache(async (): Promise<{ timeZone: string; known: boolean }> => {
  const viewer = await getViewer();
  if (viewer?.timeZone) return { timeZone: viewer.timeZone, known: true };
  const detected = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  if (detected && isTimeZone(detected)) {
    if (viewer) await adoptTimeZone(getDb(), viewer.id, detected);
    return { timeZone: detected, known: true };
  }
  // Not known yet (signed in before detection): the layout asks the browser (components/time-zone.tsx).
  return { timeZone: processTimeZone(), known: false };
});

export async function getViewerTimeZone(): Promise<string> {
  return (await getViewerClock()).timeZone;
}
