import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { getDb } from "../../db/index.ts";
import type { RequestContext } from "../audit/index.ts";
import { requestContext } from "../audit/request-context.ts";
import { exportAllowed } from "./export-access.ts";
import { can, EXPORT_RESTRICTED, type Permission } from "./permissions.ts";
import { getViewer, type Viewer } from "./viewer.ts";

// The one wrapper every browser-facing route handler goes through, like defineAction for server
// actions (DESIGN: viewer → declared permission → zod params → handler), so no download can hand-build
// its check differently. The proxy leaves /api/* alone, so the answers are HTTP statuses, in order:
// 401 signed out, 403 without the permission (or, for `download` routes, while the admin withholds
// downloads from the viewer's role), 404 for params that name nothing (an id reveals nothing).

export const SIGN_IN_TO_CONTINUE = "Sign in to continue.";

export type RouteContext<P> = {
  viewer: Viewer;
  params: P;
  db: Database;
  context: () => Promise<RequestContext>;
};

export type RouteDefinition<S extends z.ZodType> = {
  /** What the viewer's role must grant; "signed-in" for what every user may see (colleagues' pictures). */
  permission: Permission | "signed-in";
  /** The dynamic segments, e.g. z.object({ id: z.uuid() }); a mismatch is a 404. */
  params?: S;
  /** A file the viewer takes away: refused while the admin withholds exports and downloads (Admin → Settings). */
  download?: boolean;
  handler: (request: Request, ctx: RouteContext<z.output<S>>) => Promise<Response>;
};

/** What runRoute needs from the request; injected so the wrapper's logic is testable without Next. */
export type RouteDeps = {
  getViewer: () => Promise<Viewer | null>;
  getDb: () => Database;
  requestContext: () => Promise<RequestContext>;
  downloadAllowed: (db: Database, viewer: Viewer) => Promise<boolean>;
};

type Segments = { params?: Promise<Record<string, string | string[]>> };

export async function runRoute<S extends z.ZodType>(
  def: RouteDefinition<S>,
  request: Request,
  segments: Segments | undefined,
  deps: RouteDeps,
): Promise<Response> {
  try {
    const viewer = await deps.getViewer();
    if (!viewer) return Response.json({ error: SIGN_IN_TO_CONTINUE }, { status: 401 });
    if (def.permission !== "signed-in" && !can(viewer.role, def.permission))
      return Response.json({ error: "Access restricted" }, { status: 403 });
    const db = deps.getDb();
    if (def.download && !(await deps.downloadAllowed(db, viewer)))
      return Response.json({ error: EXPORT_RESTRICTED }, { status: 403 });
    const schema = (def.params ?? z.object({})) as S;
    const params = schema.safeParse((await segments?.params) ?? {});
    if (!params.success) return notFoundResponse();
    return await def.handler(request, { viewer, params: params.data, db, context: deps.requestContext });
  } catch (error) {
    console.error(`Route ${new URL(request.url).pathname} failed:`, error);
    return Response.json({ error: "Something went wrong. Please try again." }, { status: 500 });
  }
}

const requestDeps: RouteDeps = {
  getViewer,
  getDb,
  requestContext,
  downloadAllowed: exportAllowed,
};

export type RouteHandler = ((request: Request, segments: Segments) => Promise<Response>) & {
  definition: RouteDefinition<z.ZodType>;
};

/**
 * Declares a route handler: `export const GET = defineRoute({ permission, params, handler })`. The
 * definition rides along (`GET.definition`) so a test can check that every browser-facing route
 * declares one.
 */
export function defineRoute<S extends z.ZodType = z.ZodObject<Record<string, never>>>(
  def: RouteDefinition<S>,
): RouteHandler {
  const handler = (request: Request, segments: Segments) => runRoute(def, request, segments, requestDeps);
  return Object.assign(handler, { definition: def as unknown as RouteDefinition<z.ZodType> });
}

/** A conversation's id in a URL: its uuid (NUL bytes or other junk name nothing: 404). */
export const conversationParams = z.object({ id: z.uuid() });

/** A 404 that says no more than a missing resource would. */
export const notFoundResponse = () => Response.json({ error: "Not found" }, { status: 404 });
