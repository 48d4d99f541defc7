// The response headers every page carries (proxy.ts sets them; next.config.mjs adds the static ones
// to every other response too).

/** Static headers: no MIME sniffing, no framing, no full URLs (conversation ids, searches) to other sites. */
export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
] as const;

/** A fresh nonce for one response's inline scripts. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The Content-Security-Policy of a page. Scripts: only those carrying this response's nonce (Next
 * reads it from the request's CSP header and puts it on its own inline and chunk scripts), and what
 * they load ('strict-dynamic'). Styles allow 'unsafe-inline': React renders `style` attributes
 * (Radix positions popovers and sizes scroll areas with them, the waveform and bars are sized with
 * them), and CSP nonces cannot apply to attributes; style injection cannot run script.
 */
export function contentSecurityPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code (stack frames): only in `npm run dev`.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HSTS once Parley is reached over HTTPS: AUTH_URL says so, or a trusted proxy's X-Forwarded-Proto did. */
export function strictTransportSecurity(
  authUrl: string | undefined,
  requestProto: string | null,
): string | null {
  const https = authUrl?.startsWith("https://") || requestProto === "https";
  return https ? "max-age=31536000; includeSubDomains" : null;
}
