import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { EXPORT_RESTRICTED } from "../exports/kinds.ts";
import { type RouteDeps, type RouteHandler, runRoute } from "./route.ts";
import type { Viewer } from "./viewer.ts";

const viewer = (role: Viewer["role"]): Viewer => ({
  id: "00000000-0000-4000-8000-000000000001",
  name: "Vi Ewer",
  email: "vi@example.test",
  role,
  avatar64Key: null,
  avatar128Key: null,
  avatarUpdatedAt: null,
  timeZone: null,
  listColumns: null,
  listDensity: null,
});

const deps = (who: Viewer | null, downloads = true): RouteDeps => ({
  getViewer: async () => who,
  getDb: () => ({}) as Database,
  requestContext: async () => ({}),
  downloadAllowed: async () => downloads,
});

const ID = "00000000-0000-4000-8000-0000000000aa";
const request = new Request(`http://localhost/api/conversations/${ID}/transcript`);
const segments = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

describe("runRoute", () => {
  const def = {
    permission: "recordings:read" as const,
    download: true,
    params: z.object({ id: z.uuid() }),
    handler: vi.fn(async (_r: Request, ctx: { params: { id: string } }) => Response.json(ctx.params)),
  };

  it("answers 401, 403, 403 (downloads withheld), 404 (params) in that order, before the handler", async () => {
    expect((await runRoute(def, request, segments({ id: "x" }), deps(null))).status).toBe(401);
    const admin = viewer("admin");
    const refused = await runRoute(def, request, segments({ id: ID }), deps(admin, false));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: EXPORT_RESTRICTED });
    expect((await runRoute(def, request, segments({ id: "not-a-uuid" }), deps(admin))).status).toBe(404);
    expect(def.handler).not.toHaveBeenCalled();
    const ok = await runRoute(def, request, segments({ id: ID }), deps(admin));
    expect(await ok.json()).toEqual({ id: ID });
  });

  it("refuses a role without the declared permission", async () => {
    const admin = { ...def, permission: "admin:view" as const };
    expect((await runRoute(admin, request, segments({ id: ID }), deps(viewer("agent")))).status).toBe(403);
  });

  it("answers 404, not 500, for a NUL byte or other junk in an id", async () => {
    for (const id of [`${ID}\u0000`, "\u0000", "..", "%00"]) {
      expect((await runRoute(def, request, segments({ id }), deps(viewer("admin")))).status).toBe(404);
    }
  });

  it("logs a failing handler and answers a generic 500", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = { ...def, handler: async () => Promise.reject(new Error("boom")) };
    const res = await runRoute(failing, request, segments({ id: ID }), deps(viewer("admin")));
    expect(res.status).toBe(500);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});

// Route handlers a browser calls with a session: every one declares its check through defineRoute.
// The others authenticate differently, each for the reason given.
const NOT_BROWSER_FACING: Record<string, string> = {
  "auth/[...nextauth]": "next-auth's own sign-in endpoints",
  health: "public on purpose: load balancers poll it",
  "health/ready": "public on purpose: load balancers and orchestrators poll it (readiness)",
  "v1/openapi.json": "public on purpose: the API's description holds no data",
};
const FILES_TAKEN_AWAY = [
  "conversations/[id]/transcript",
  "conversations/[id]/recording/audio",
  "conversations/[id]/recording/files/[variant]",
  "conversations/[id]/screen-recordings/[agentId]",
  "conversations/[id]/diagnostics/[format]",
];

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

describe("every browser-facing route handler goes through defineRoute", () => {
  const apiDir = path.resolve(import.meta.dirname, "../../app/api");
  const routes = routeFiles(apiDir).map((file) => ({
    file,
    route: path.relative(apiDir, path.dirname(file)),
  }));
  const browserFacing = routes.filter((r) => !r.route.startsWith("v1/") && !(r.route in NOT_BROWSER_FACING));

  it("finds the routes", () => {
    expect(browserFacing.map((r) => r.route)).toEqual(expect.arrayContaining(FILES_TAKEN_AWAY));
  });

  it.each(browserFacing)("$route", { timeout: 60_000 }, async ({ file, route }) => {
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].filter((m) => m in mod);
    expect(handlers.length, route).toBeGreaterThan(0);
    for (const method of handlers) {
      const handler = mod[method] as Partial<RouteHandler>;
      expect(handler.definition, `${route} ${method}`).toBeDefined();
      // The admin's "withhold downloads" switch covers every file a viewer can take away.
      if (FILES_TAKEN_AWAY.includes(route)) expect(handler.definition?.download, route).toBe(true);
    }
  });
});
