import { type BlockList, isIP } from "node:net";

/**
 * Adds an IP address or CIDR range ("10.0.0.0/8", "fd00::/8", "[::1]") to `list`; false when the
 * entry is neither (a host name, say), an Error for a range whose prefix does not fit.
 */
export function addAddressOrRange(list: BlockList, entry: string): boolean {
  const [base = "", prefix] = entry.trim().split("/");
  const address = base.replace(/^\[|\]$/g, "");
  const version = isIP(address);
  if (version === 0) return false;
  const family = version === 4 ? "ipv4" : "ipv6";
  if (prefix === undefined) list.addAddress(address, family);
  else {
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (version === 4 ? 32 : 128))
      throw new Error(`"${entry.trim()}" is not a valid CIDR range`);
    list.addSubnet(address, bits, family);
  }
  return true;
}
