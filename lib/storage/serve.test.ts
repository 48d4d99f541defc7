import { describe, expect, test } from "vitest";
import { parseRange } from "./serve.ts";

describe("parseRange", () => {
  test("reads the forms browsers send", () => {
    expect(parseRange(null, 1000)).toBe("all");
    expect(parseRange("bytes=0-", 1000)).toEqual([0, 999]);
    expect(parseRange("bytes=100-199", 1000)).toEqual([100, 199]);
    expect(parseRange("bytes=900-5000", 1000)).toEqual([900, 999]);
    expect(parseRange("bytes=-100", 1000)).toEqual([900, 999]);
    expect(parseRange("bytes=-5000", 1000)).toEqual([0, 999]);
  });

  test("refuses ranges outside the file (416)", () => {
    expect(parseRange("bytes=1000-", 1000)).toBe("invalid");
    expect(parseRange("bytes=200-100", 1000)).toBe("invalid");
    expect(parseRange("bytes=-0", 1000)).toBe("invalid");
    expect(parseRange("bytes=-", 1000)).toBe("invalid");
  });

  test("ignores what it does not understand (multiple ranges, other units): the whole file", () => {
    expect(parseRange("bytes=0-1,5-6", 1000)).toBe("all");
    expect(parseRange("items=0-1", 1000)).toBe("all");
  });
});
