import { describe, expect, it } from "vitest";
import { formatElapsed, formatStandardTimestamp, formatTranscriptTime } from "./transcript-time.ts";

const start = new Date("2026-06-14T16:52:30Z");
const plus = (ms: number) => new Date(start.getTime() + ms);

describe("Standard Timestamps", () => {
  // The spec's example, "Fri Jun 14 2026, 4:52:31 PM", names 2024's weekday: Jun 14 2026 is a Sunday.
  it("has the spec's shape", () => {
    expect(formatStandardTimestamp(new Date("2024-06-14T16:52:31Z"), "UTC")).toBe(
      "Fri Jun 14 2024, 4:52:31 PM",
    );
    expect(formatStandardTimestamp(new Date("2026-06-12T16:52:31Z"), "UTC")).toBe(
      "Fri Jun 12 2026, 4:52:31 PM",
    );
  });

  it("uses the given time zone, 12-hour clock, unpadded hour and day", () => {
    expect(formatStandardTimestamp(new Date("2026-01-05T00:07:09Z"), "UTC")).toBe(
      "Mon Jan 5 2026, 12:07:09 AM",
    );
    expect(formatStandardTimestamp(new Date("2026-06-14T16:52:31Z"), "America/New_York")).toBe(
      "Sun Jun 14 2026, 12:52:31 PM",
    );
    expect(formatStandardTimestamp(new Date("2026-06-14T23:59:59Z"), "Asia/Tokyo")).toBe(
      "Mon Jun 15 2026, 8:59:59 AM",
    );
  });
});

describe("Duration Markers", () => {
  it("matches the spec's example exactly", () => {
    expect(formatElapsed(start, plus(1000))).toBe("00:01");
  });

  it("pads minutes and seconds, adds hours past an hour, rounds down", () => {
    expect(formatElapsed(start, start)).toBe("00:00");
    expect(formatElapsed(start, plus(999))).toBe("00:00");
    expect(formatElapsed(start, plus(59_999))).toBe("00:59");
    expect(formatElapsed(start, plus(754_000))).toBe("12:34");
    expect(formatElapsed(start, plus(3_723_000))).toBe("01:02:03");
    expect(formatElapsed(start, plus(36_000_000))).toBe("10:00:00");
  });

  it("never goes negative", () => {
    expect(formatElapsed(start, plus(-5000))).toBe("00:00");
  });
});

describe("formatTranscriptTime", () => {
  it("follows the admin's format", () => {
    expect(formatTranscriptTime("duration", start, plus(61_000), "UTC")).toBe("01:01");
    expect(formatTranscriptTime("timestamp", start, plus(61_000), "UTC")).toBe("Sun Jun 14 2026, 4:53:31 PM");
  });
});
