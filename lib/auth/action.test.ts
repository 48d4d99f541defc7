import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { ActionError } from "../action-error.ts";
import {
  ACCESS_RESTRICTED,
  type ActionDeps,
  formBoolean,
  formList,
  INVALID_INPUT,
  runAction,
  SIGNED_OUT,
  SOMETHING_WENT_WRONG,
} from "./action.ts";
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

const db = {} as Database;
const deps = (who: Viewer | null): ActionDeps => ({
  getViewer: async () => who,
  getDb: () => db,
  requestContext: async () => ({ ip: "10.0.0.1", userAgent: "vitest" }),
});

const rename = {
  input: z.object({
    name: z.string().trim().min(1, "Name is required"),
    tags: formList(z.array(z.string())),
  }),
  permission: "settings:manage" as const,
  handler: vi.fn(async (input: { name: string; tags: string[] }) => `${input.name}:${input.tags.join("+")}`),
};

afterEach(() => {
  vi.clearAllMocks();
  vi.restoreAllMocks();
});

describe("runAction", () => {
  it("refuses a signed-out caller before looking at the input", async () => {
    expect(await runAction(rename, { name: "" }, deps(null))).toEqual({ ok: false, error: SIGNED_OUT });
    expect(rename.handler).not.toHaveBeenCalled();
  });

  it("refuses a role without the declared permission", async () => {
    expect(await runAction(rename, { name: "x" }, deps(viewer("supervisor")))).toEqual({
      ok: false,
      error: ACCESS_RESTRICTED,
    });
    expect(rename.handler).not.toHaveBeenCalled();
  });

  it("returns field errors for invalid input without running the handler", async () => {
    expect(await runAction(rename, { name: "  " }, deps(viewer("admin")))).toEqual({
      ok: false,
      error: INVALID_INPUT,
      fieldErrors: { name: "Name is required" },
    });
    expect(rename.handler).not.toHaveBeenCalled();
  });

  it("reads FormData (repeated names become lists, React's own fields are ignored)", async () => {
    const form = new FormData();
    form.append("$ACTION_ID_abc", "");
    form.append("name", " Ada ");
    form.append("tags", "a");
    form.append("tags", "b");
    expect(await runAction(rename, form, deps(viewer("admin")))).toEqual({ ok: true, data: "Ada:a+b" });

    const single = new FormData();
    single.append("name", "Bo");
    single.append("tags", "only");
    expect(await runAction(rename, single, deps(viewer("admin")))).toEqual({ ok: true, data: "Bo:only" });
  });

  it("hands the handler the viewer as actor, the database and the request context", async () => {
    const handler = vi.fn(async () => "done");
    const admin = viewer("admin");
    await runAction({ ...rename, handler }, { name: "x" }, deps(admin));
    expect(handler).toHaveBeenCalledWith(
      { name: "x", tags: [] },
      {
        viewer: admin,
        actor: { kind: "user", id: admin.id },
        db,
        context: { ip: "10.0.0.1", userAgent: "vitest" },
      },
    );
  });

  it("shows an ActionError's message and hides anything else behind a logged generic message", async () => {
    const refuse = { ...rename, handler: async () => Promise.reject(new ActionError("Not like that")) };
    expect(await runAction(refuse, { name: "x" }, deps(viewer("admin")))).toEqual({
      ok: false,
      error: "Not like that",
    });

    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const crash = {
      ...rename,
      handler: async () => Promise.reject(new Error("connection refused 10.1.2.3")),
    };
    expect(await runAction(crash, { name: "x" }, deps(viewer("admin")))).toEqual({
      ok: false,
      error: SOMETHING_WENT_WRONG,
    });
    expect(log).toHaveBeenCalledOnce();
  });

  it("lets framework control flow (redirects) through", async () => {
    const redirect = new Error("NEXT_REDIRECT");
    const def = { ...rename, handler: async () => Promise.reject(redirect) };
    const rethrow = (error: unknown) => {
      if (error === redirect) throw error;
    };
    await expect(runAction(def, { name: "x" }, { ...deps(viewer("admin")), rethrow })).rejects.toBe(redirect);
  });
});

describe("form field helpers", () => {
  it("formBoolean reads checkboxes and booleans", () => {
    const schema = z.object({ on: formBoolean() });
    expect(schema.parse({ on: "on" })).toEqual({ on: true });
    expect(schema.parse({})).toEqual({ on: false });
    expect(schema.parse({ on: "false" })).toEqual({ on: false });
    expect(schema.parse({ on: true })).toEqual({ on: true });
    expect(schema.safeParse({ on: "maybe" }).success).toBe(false);
  });
});
