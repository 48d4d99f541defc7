import { headers } from "next/headers";
import { CLIENT_ADDRESS_HEADER } from "../security/client-address.ts";
import type { RequestContext } from "./index.ts";

/**
 * Where a request comes from, for the audit log and the failed-authentication limits: the address
 * the web server established (X-Forwarded-For only through TRUSTED_PROXIES), never a header the
 * client may have written itself.
 */
export function requestContextOf(h: Headers): RequestContext {
  return { ip: h.get(CLIENT_ADDRESS_HEADER), userAgent: h.get("user-agent") };
}

/** requestContextOf the current request (empty outside a request). */
export async function requestContext(): Promise<RequestContext> {
  try {
    return requestContextOf(await headers());
  } catch {
    return {};
  }
}
