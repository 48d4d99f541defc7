export const HOME_PATH = "/conversations";

// Parsed the way a browser reads a Location header: the WHATWG URL parser drops tabs and CR/LF
// and reads "\" as "/", so "/\t/evil.example" or "/\\evil.example" would be another host.
const BASE = "http://parley.invalid";

/**
 * Where to go after signing in: a path on this site, or the home page. The value is normalised
 * first (tabs, CR/LF, backslashes, dot segments) and kept only when it still names this origin and
 * does not begin with "//" (a protocol-relative URL), so the sign-in page is no open redirect and
 * no header can be injected through it.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return HOME_PATH;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return HOME_PATH;
  }
  if (url.origin !== BASE) return HOME_PATH;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!path.startsWith("/") || path.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(path))
    return HOME_PATH;
  if (url.pathname === "/sign-in" || url.pathname.startsWith("/sign-in/")) return HOME_PATH;
  return path;
}
