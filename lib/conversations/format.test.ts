import { describe, expect, it } from "vitest";
import { formatDuration } from "./format.ts";

const start = new Date("2026-11-25T09:00:00Z");
const plus = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("formatDuration", () => {
  it("is null while the conversation is open", () => {
    expect(formatDuration(start, null)).toBeNull();
  });

  it("uses the two largest units", () => {
    expect(formatDuration(start, plus(45))).toBe("45s");
    expect(formatDuration(start, plus(245))).toBe("4m 05s");
    expect(formatDuration(start, plus(3725))).toBe("1h 02m");
  });
});
