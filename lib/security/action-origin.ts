// Server actions are POSTs to a page with a Next-Action header. Next refuses one whose Origin is not
// this host (a cross-site request), but by throwing: a 500. The proxy answers it first with a 403,
// by the same rule (X-Forwarded-Host, else Host, against the Origin's host).

export function foreignServerAction(method: string, headers: Headers): boolean {
  if (method !== "POST" || !headers.has("next-action")) return false;
  const origin = headers.get("origin");
  if (origin === null) return false; // not a browser's cross-site request; Next decides
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" (sandboxed or privacy-redirected) and garbage are not this site
  }
}
