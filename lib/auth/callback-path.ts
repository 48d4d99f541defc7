export const HOME_PATH = "/conversations";

/**
 * Where to go after signing in: a path on this site, or the home page. Absolute and
 * protocol-relative URLs ("//evil.example", "/\evil.example") are refused, so the sign-in page
 * cannot be turned into an open redirect.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) return HOME_PATH;
  if (value.startsWith("//") || value.startsWith("/\\") || value.startsWith("/sign-in")) return HOME_PATH;
  return value;
}
