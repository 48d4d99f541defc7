import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "../../proxy.ts";
import { foreignServerAction } from "./action-origin.ts";

const action = (origin: string | null, extra: Record<string, string> = {}) =>
  new NextRequest("http://parley.test/conversations", {
    method: "POST",
    headers: {
      host: "parley.test",
      "next-action": "7f3a9c0d1e2b",
      "content-type": "text/plain;charset=UTF-8",
      ...(origin ? { origin } : {}),
      ...extra,
    },
    body: "[]",
  });

describe("a server action from another site", () => {
  it("is answered 403 by the proxy, before Next (which answered 500)", async () => {
    const res = await proxy(action("http://evil.example"));
    expect(res.status).toBe(403);
  });

  it("is told apart from this site's own actions", () => {
    expect(foreignServerAction("POST", action("http://evil.example").headers)).toBe(true);
    expect(foreignServerAction("POST", action("null").headers)).toBe(true);
    expect(foreignServerAction("POST", action("http://parley.test").headers)).toBe(false);
    expect(
      foreignServerAction(
        "POST",
        action("https://parley.example", { "x-forwarded-host": "parley.example" }).headers,
      ),
    ).toBe(false);
    expect(foreignServerAction("GET", new Headers({ origin: "http://evil.example" }))).toBe(false);
  });
});
