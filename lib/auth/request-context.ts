import { headers } from "next/headers";
import type { RequestContext } from "../audit/index.ts";

/** Where the current request comes from, for the audit log (empty outside a request). */
export async function requestContext(): Promise<RequestContext> {
  try {
    const h = await headers();
    return { ip: h.get("x-forwarded-for") ?? h.get("x-real-ip"), userAgent: h.get("user-agent") };
  } catch {
    return {};
  }
}
