import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EMPTY_ALLOW_LIST,
  isPublicAddress,
  OutboundRefused,
  outboundGet,
  parseAllowList,
  refusal,
} from "../../lib/recordings/outbound.ts";
import { legUrl } from "../../lib/recordings/source.ts";

// The address check is proven on the check itself: nothing here connects to a private, link-local
// or unique-local address. Requests go only to listeners on 127.0.0.1, reached through names the
// test resolves itself.

describe("isPublicAddress", () => {
  it("refuses loopback, private, link-local, unique-local and the IPv6 forms that embed them", () => {
    for (const address of [
      "127.0.0.1",
      "127.1.2.3",
      "0.0.0.0",
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.10",
      "169.254.169.254", // cloud metadata
      "100.64.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "[::1]",
      "fe80::1",
      "fe80::1%eth0",
      "fc00::1",
      "fd12:3456:789a::1",
      "fec0::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "::ffff:a9fe:a9fe",
      "::ffff:192.168.0.1",
      "::127.0.0.1",
      "64:ff9b::a00:1",
      "2002:c0a8:1::1",
      "not-an-ip",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("lets public unicast addresses through", () => {
    for (const address of [
      "93.184.216.34",
      "8.8.8.8",
      "172.32.0.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
    ]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });
});

describe("the allow-list", () => {
  const allow = parseAllowList(["recordings.corp.example", " 10.20.0.0/16", "fd00::5", ""]);

  it("allows listed host names, addresses and ranges, and nothing else private", () => {
    expect(refusal("recordings.corp.example", "10.9.9.9", allow)).toBeNull();
    expect(refusal("RECORDINGS.corp.example.", "10.9.9.9", allow)).toBeNull();
    expect(refusal("other.corp.example", "10.20.3.4", allow)).toBeNull();
    expect(refusal("other.corp.example", "fd00::5", allow)).toBeNull();
    expect(refusal("other.corp.example", "10.21.0.1", allow)).toMatch(/not a public address/);
    expect(refusal("other.corp.example", "fd00::6", allow)).toMatch(/not a public address/);
    expect(refusal("media.example.com", "93.184.216.34", EMPTY_ALLOW_LIST)).toBeNull();
  });

  it("rejects entries that are none of those", () => {
    expect(() => parseAllowList(["http://x"])).toThrow(/not a host name/);
    expect(() => parseAllowList(["10.0.0.0/33"])).toThrow(/CIDR/);
  });
});

describe("legUrl", () => {
  const source = { urlTemplate: "https://rec.example/calls/{callId}/{leg}.wav", timeoutMs: 1000 };

  it("keeps a call id inside its path segment", () => {
    for (const callId of ["..", ".", "%2e%2e", ".%2E", "%2e"])
      expect(legUrl(source, callId, "agent")).toBeNull();
    for (const callId of ["../admin", "a/b", "a\\b", "..%2fadmin", "?x=1", "#frag"]) {
      const url = new URL(legUrl(source, callId, "agent") ?? "");
      expect(url.pathname.split("/").length, callId).toBe(4);
      expect(url.pathname.startsWith("/calls/"), callId).toBe(true);
      expect(url.pathname.endsWith("/agent.wav"), callId).toBe(true);
    }
  });
});

// Listeners on 127.0.0.1 stand in for hosts; the test's resolver maps names to them.
type Listener = { server: Server; port: number; requests: IncomingMessage[] };
const listeners: Listener[] = [];
let routes: Map<string, (req: IncomingMessage) => { status: number; headers?: Record<string, string> }>;

async function listen(): Promise<Listener> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const route = routes.get(`${(req.headers.host ?? "").split(":")[0]}${req.url}`);
    const answer = route ? route(req) : { status: 200 };
    res.writeHead(answer.status, answer.headers).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const listener = { server, port: (server.address() as AddressInfo).port, requests };
  listeners.push(listener);
  return listener;
}

let a: Listener;
let b: Listener;
const lookups: string[] = [];
// "a.test" and "b.test" are the two listeners; "rebind.test" answers 127.0.0.1 once, then an
// address nothing listens on, as a rebinding DNS server would.
const resolve = async (hostname: string) => {
  lookups.push(hostname);
  if (hostname === "rebind.test")
    return [lookups.filter((h) => h === hostname).length === 1 ? "127.0.0.1" : "127.0.0.2"];
  if (hostname === "mixed.test") return ["93.184.216.34", "10.0.0.1"];
  return ["127.0.0.1"];
};
const options = (over: Partial<Parameters<typeof outboundGet>[1]> = {}) => ({
  headers: { authorization: "Bearer s3cret" },
  signal: AbortSignal.timeout(5000),
  allow: parseAllowList(["a.test", "b.test", "rebind.test"]),
  resolve,
  ...over,
});

beforeAll(async () => {
  a = await listen();
  b = await listen();
});
afterAll(async () => {
  for (const l of listeners) await new Promise((r) => l.server.close(r));
});
beforeEach(() => {
  routes = new Map();
  lookups.length = 0;
  for (const l of listeners) l.requests.length = 0;
});

describe("outboundGet", () => {
  it("refuses a loopback listener that is not on the allow-list, before connecting", async () => {
    for (const url of [
      `http://127.0.0.1:${a.port}/x`,
      `http://localhost:${a.port}/x`,
      `http://[::ffff:127.0.0.1]:${a.port}/x`,
    ]) {
      await expect(outboundGet(url, options({ allow: EMPTY_ALLOW_LIST })), url).rejects.toThrow(
        OutboundRefused,
      );
    }
    expect(a.requests).toHaveLength(0);
  });

  it("refuses a name when any of its addresses is private (the connection could land on it)", async () => {
    await expect(outboundGet("http://mixed.test/x", options())).rejects.toThrow(/10\.0\.0\.1/);
  });

  it("checks every redirect hop: a listed host cannot send the worker to an unlisted one", async () => {
    routes.set("a.test/start", () => ({
      status: 302,
      headers: { location: `http://127.0.0.1:${b.port}/secret` },
    }));
    await expect(outboundGet(`http://a.test:${a.port}/start`, options())).rejects.toThrow(/127\.0\.0\.1/);
    expect(b.requests).toHaveLength(0);
  });

  it("caps redirects", async () => {
    routes.set("a.test/loop", () => ({ status: 302, headers: { location: "/loop" } }));
    await expect(outboundGet(`http://a.test:${a.port}/loop`, options())).rejects.toThrow(
      /More than 5 redirects/,
    );
    expect(a.requests).toHaveLength(6);
  });

  it("keeps the credentials on a same-origin redirect and drops them on a cross-origin one", async () => {
    routes.set("a.test/one", () => ({ status: 302, headers: { location: "/two" } }));
    routes.set("a.test/two", () => ({ status: 307, headers: { location: `http://b.test:${b.port}/three` } }));
    const res = await outboundGet(`http://a.test:${a.port}/one`, options());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(a.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ["/one", "Bearer s3cret"],
      ["/two", "Bearer s3cret"],
    ]);
    expect(b.requests.map((r) => [r.url, r.headers.authorization])).toEqual([["/three", undefined]]);
  });

  it("connects to the address it checked, not to a later DNS answer (rebinding)", async () => {
    const res = await outboundGet(`http://rebind.test:${a.port}/x`, options());
    expect(res.status).toBe(200);
    expect(lookups).toEqual(["rebind.test"]);
    expect(a.requests).toHaveLength(1);
  });

  it("trusts the operator's own server's origin, and only it", async () => {
    const trustedOrigin = `http://127.0.0.1:${a.port}`;
    routes.set("127.0.0.1/rec", () => ({
      status: 302,
      headers: { location: `http://127.0.0.1:${b.port}/x` },
    }));
    const ok = await outboundGet(`${trustedOrigin}/ok`, options({ allow: EMPTY_ALLOW_LIST, trustedOrigin }));
    expect(ok.status).toBe(200);
    await expect(
      outboundGet(`${trustedOrigin}/rec`, options({ allow: EMPTY_ALLOW_LIST, trustedOrigin })),
    ).rejects.toThrow(OutboundRefused);
    expect(b.requests).toHaveLength(0);
  });
});
