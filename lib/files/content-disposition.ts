// The one Content-Disposition writer (RFC 6266): every download route names its file through it.

/**
 * `attachment` (a download; `inline` to show it in the browser) with an ASCII `filename` for old
 * clients and, when the name has anything else, the exact UTF-8 name in `filename*` (RFC 8187).
 * Quotes, backslashes and control characters can never reach the header, so a name cannot break out
 * of it.
 */
export function contentDisposition(fileName: string, type: "attachment" | "inline" = "attachment"): string {
  // Control characters (below U+0020, and U+007F), quotes, backslashes and slashes.
  const safe = [...fileName].map((c) => (c < " " || c === "\u007f" || '"\\/'.includes(c) ? "_" : c)).join("");
  const ascii = safe.replace(/[^\x20-\x7e]/g, "_");
  if (ascii === safe) return `${type}; filename="${ascii}"`;
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
