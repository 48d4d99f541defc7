import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { addAddressOrRange } from "../security/address-list.ts";

// Outbound HTTP for recording downloads. A write-scope API key can register any URL for a leg, so
// the worker must not become a proxy into the network it runs in (server-side request forgery):
// every hop — the first request and each redirect — is resolved, every address it resolves to must
// be a public unicast one (or the host must be on the operator's allow-list), and the connection
// goes to the address that was checked (a lookup pinned to it), so a DNS answer that changes
// between the check and the connect (DNS rebinding) cannot reach anything else. Redirects are
// capped, and credentials never follow a redirect to another origin.

/** Addresses no recording server on the internet has: loopback, private, link-local, unique-local,
 * CGNAT, multicast, reserved and documentation ranges, and the IPv6 forms that embed IPv4. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata services live here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible form
  ["64:ff9b::", 96], // NAT64: would reach whatever IPv4 address it embeds
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo included)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, "ipv6");

/** The address without brackets or a zone id, or null when it is not an IP address. */
function bareAddress(address: string): { address: string; family: "ipv4" | "ipv6" } | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const version = isIP(bare);
  return version === 0 ? null : { address: bare, family: version === 4 ? "ipv4" : "ipv6" };
}

/**
 * True for an address a recording server on the internet could have. IPv4-mapped IPv6 addresses
 * (::ffff:127.0.0.1, ::ffff:7f00:1) are judged as the IPv4 address they are (BlockList maps them).
 */
export function isPublicAddress(address: string): boolean {
  const ip = bareAddress(address);
  if (!ip) return false;
  return !NOT_PUBLIC.check(ip.address, ip.family);
}

/**
 * RECORDING_SOURCE_ALLOWED_HOSTS (or WEBHOOK_ALLOWED_HOSTS): host names, IP addresses and CIDR
 * ranges that may be private; `setting` names the variable in refusals.
 */
export type AllowList = { hosts: Set<string>; addresses: BlockList; setting: string };

export function parseAllowList(
  entries: readonly string[],
  setting = "RECORDING_SOURCE_ALLOWED_HOSTS",
): AllowList {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry || addAddressOrRange(addresses, entry)) continue;
    if (/^[a-z0-9.-]+$/.test(entry)) hosts.add(entry.replace(/\.$/, ""));
    else throw new Error(`"${raw}" is not a host name, IP address or CIDR range`);
  }
  return { hosts, addresses, setting };
}

export const EMPTY_ALLOW_LIST: AllowList = parseAllowList([]);

/** Why `address` (which `hostname` resolved to) may not be fetched from, or null when it may. */
export function refusal(hostname: string, address: string, allow: AllowList): string | null {
  const ip = bareAddress(address);
  if (!ip) return `${address} is not an IP address`;
  if (isPublicAddress(ip.address)) return null;
  if (
    allow.hosts.has(
      hostname
        .toLowerCase()
        .replace(/^\[|\]$/g, "")
        .replace(/\.$/, ""),
    )
  )
    return null;
  if (allow.addresses.check(ip.address, ip.family)) return null;
  return `${hostname} resolves to ${ip.address}, which is not a public address (add the host to ${allow.setting} to allow it)`;
}

export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export class OutboundRefused extends Error {
  override name = "OutboundRefused";
}

export type OutboundOptions = {
  headers: Record<string, string>;
  signal: AbortSignal;
  allow: AllowList;
  /** An origin trusted without the address check: the operator's own RECORDING_SOURCE_URL server. */
  trustedOrigin?: string;
  maxRedirects?: number;
  /** Tests resolve names themselves; production asks the system resolver. */
  resolve?: Resolver;
};

export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET `url` under the rules above; the final response as a fetch Response (its body streamed).
 * Rejects with OutboundRefused for a refused hop or too many redirects, and with the network error
 * (or the signal's reason) otherwise.
 */
export async function outboundGet(url: string, opts: OutboundOptions): Promise<Response> {
  const resolve = opts.resolve ?? systemResolver;
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;
  let target = new URL(url);
  let headers = { ...opts.headers };
  for (let hop = 0; ; hop++) {
    if (target.protocol !== "http:" && target.protocol !== "https:")
      throw new OutboundRefused(`${target.protocol} URLs are not fetched`);
    const pinned = await checkedAddress(target, opts, resolve);
    const response = await request(target, headers, pinned, opts.signal);
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || !location) return response;
    await response.body?.cancel().catch(() => {});
    if (hop >= maxRedirects) throw new OutboundRefused(`More than ${maxRedirects} redirects`);
    const next = new URL(location, target);
    // The recording server's credentials are for it alone, never for where it sends us.
    if (next.origin !== target.origin) headers = withoutCredentials(headers, opts.headers);
    target = next;
  }
}

/**
 * POST `body` to `url` under the same address rules, following no redirect (a signed request must
 * reach only the URL it was registered for): a 3xx comes back as the response.
 */
export async function outboundPost(
  url: string,
  body: string,
  opts: Omit<OutboundOptions, "maxRedirects" | "trustedOrigin">,
): Promise<Response> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:")
    throw new OutboundRefused(`${target.protocol} URLs are not called`);
  const pinned = await checkedAddress(target, opts, opts.resolve ?? systemResolver);
  return request(target, opts.headers, pinned, opts.signal, body);
}

async function checkedAddress(
  target: URL,
  opts: OutboundOptions,
  resolve: Resolver,
): Promise<{ address: string; family: 4 | 6 }> {
  const hostname = target.hostname.replace(/^\[|\]$/g, "");
  const literal = bareAddress(hostname);
  const addresses = literal ? [literal.address] : await resolve(hostname);
  if (addresses.length === 0) throw new OutboundRefused(`${hostname} does not resolve`);
  const trusted = opts.trustedOrigin !== undefined && target.origin === opts.trustedOrigin;
  // Every answer must pass, not just one: otherwise a name with one public and one private address
  // would be let through and the connection could land on either.
  if (!trusted) {
    for (const address of addresses) {
      const why = refusal(hostname, address, opts.allow);
      if (why) throw new OutboundRefused(why);
    }
  }
  const address = addresses[0] ?? "";
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

function withoutCredentials(headers: Record<string, string>, configured: Record<string, string>) {
  const drop = new Set(["authorization", "cookie", ...Object.keys(configured).map((k) => k.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.has(k.toLowerCase())));
}

function request(
  target: URL,
  headers: Record<string, string>,
  pinned: { address: string; family: 4 | 6 },
  signal: AbortSignal,
  body?: string,
): Promise<Response> {
  // Connect to the checked address whatever the name resolves to now; TLS still verifies the name.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolvePromise, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const method = body === undefined ? "GET" : "POST";
    const req = client.request(target, { method, headers, lookup, signal, agent: false }, (res) => {
      const status = res.statusCode ?? 502;
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
      }
      const nullBody = status === 204 || status === 205 || status === 304 || status < 200;
      if (nullBody) res.resume();
      const stream = nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolvePromise(
        new Response(stream, { status: Math.max(200, Math.min(599, status)), headers: responseHeaders }),
      );
    });
    req.on("error", (err) => reject(signal.aborted ? signal.reason : err));
    req.end(body);
  });
}
