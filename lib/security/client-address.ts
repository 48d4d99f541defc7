import { BlockList, isIP } from "node:net";
import { addAddressOrRange } from "./address-list.ts";

// Who is on the other end of a request. X-Forwarded-For and X-Forwarded-Proto are whatever the
// client wrote unless a proxy we trust wrote them, so they are believed only hop by hop from the
// socket's peer backwards while each hop is a configured proxy (TRUSTED_PROXIES, none by default).
// The web server (scripts/web.ts) computes this once per request and hands it to the app in the
// headers below, after dropping any copy the client sent.

export const CLIENT_ADDRESS_HEADER = "x-parley-client-address";
export const CLIENT_PROTO_HEADER = "x-parley-client-proto";

export type TrustedProxies = BlockList;

/** TRUSTED_PROXIES: comma-separated IP addresses and CIDR ranges; a bad entry throws. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    try {
      if (!addAddressOrRange(list, entry)) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    } catch (error) {
      throw new Error(`TRUSTED_PROXIES: ${(error as Error).message}`);
    }
  }
  return list;
}

function trusted(list: TrustedProxies, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address and protocol: the socket's peer, unless it is a trusted proxy, in which case
 * the rightmost X-Forwarded-For entry that is not itself a trusted proxy (and the proxy's
 * X-Forwarded-Proto).
 */
export function clientOf(
  peer: { address: string | undefined; encrypted: boolean },
  headers: { forwardedFor?: string | string[]; forwardedProto?: string | string[] },
  proxies: TrustedProxies,
): { address: string | null; proto: "http" | "https" } {
  const own = peer.encrypted ? "https" : "http";
  let address = peer.address?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "") ?? null;
  if (!address || !trusted(proxies, address)) return { address, proto: own };
  const forwardedProto = [headers.forwardedProto ?? []].flat().join(",").split(",")[0]?.trim().toLowerCase();
  const proto = forwardedProto === "https" ? "https" : forwardedProto === "http" ? "http" : own;
  const hops = [headers.forwardedFor ?? []]
    .flat()
    .join(",")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  while (address && trusted(proxies, address) && hops.length > 0) {
    const next = hops.pop() ?? "";
    address = isIP(next) ? next : null; // garbage in the chain: the client is unknown, not spoofed
  }
  return { address, proto };
}
