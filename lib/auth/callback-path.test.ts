import { describe, expect, it } from "vitest";
import { HOME_PATH, safeCallbackPath } from "./callback-path.ts";

describe("safeCallbackPath", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/monitor")).toBe("/monitor");
    expect(safeCallbackPath("/conversations?status=error")).toBe("/conversations?status=error");
  });

  it("refuses other sites, loops and junk", () => {
    for (const value of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/sign-in",
      "",
      undefined,
      ["/a"],
    ]) {
      expect(safeCallbackPath(value)).toBe(HOME_PATH);
    }
  });
});
