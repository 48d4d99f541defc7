import { describe, expect, it } from "vitest";
import { HOME_PATH, safeCallbackPath } from "./callback-path.ts";

describe("safeCallbackPath", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/monitor")).toBe("/monitor");
    expect(safeCallbackPath("/conversations?status=error")).toBe("/conversations?status=error");
    expect(safeCallbackPath("/conversations?q=a%20b#x")).toBe("/conversations?q=a%20b#x");
  });

  it("refuses other sites, loops and junk", () => {
    for (const value of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/sign-in",
      "/sign-in?callbackUrl=/x",
      "",
      undefined,
      ["/a"],
    ]) {
      expect(safeCallbackPath(value)).toBe(HOME_PATH);
    }
  });

  // What a browser would resolve to another host once tabs, CR/LF and backslashes are normalised
  // (the review's `/sign-in?callbackUrl=/%09/evil.example` arrives here decoded: "/\t/evil.example").
  it("refuses paths that normalise to another origin", () => {
    for (const value of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\t\\evil.example",
      "\\/evil.example",
      "/./\t/evil.example",
      "/.//evil.example",
      "/%2e//evil.example",
      "/ /evil.example",
    ]) {
      const path = safeCallbackPath(value);
      expect(new URL(path, "https://parley.example").origin, JSON.stringify(value)).toBe(
        "https://parley.example",
      );
      expect(path.startsWith("//"), JSON.stringify(value)).toBe(false);
    }
  });

  it("never returns CR/LF or other control characters (no header injection)", () => {
    for (const value of ["/a\r\nSet-Cookie: x=1", "/a\u0000b", "/monitor\rx"]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
      expect(safeCallbackPath(value)).not.toMatch(/[\u0000-\u001f]/);
    }
  });
});
