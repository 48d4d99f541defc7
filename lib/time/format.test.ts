import { describe, expect, it } from "vitest";
import { formatDateTime, formatDateTimeSeconds, isTimeZone, timeZoneName } from "./format.ts";

const at = new Date("2026-06-14T16:52:31Z");

describe("one clock", () => {
  it("formats in the zone it is given, whatever the process's zone", () => {
    expect(formatDateTime(at, "UTC")).toBe("Jun 14, 2026, 4:52 PM");
    expect(formatDateTime(at, "Asia/Kolkata")).toBe("Jun 14, 2026, 10:22 PM");
    expect(formatDateTime(at, "America/New_York")).toBe("Jun 14, 2026, 12:52 PM");
    expect(formatDateTimeSeconds(at, "Asia/Tokyo")).toBe("Jun 15, 2026, 1:52:31 AM");
  });

  it("uses plain spaces only (ICU versions disagree on the space before AM/PM)", () => {
    expect(formatDateTime(at, "UTC")).not.toMatch(/[\u202f\u00a0]/);
  });

  it("names the zone", () => {
    expect(timeZoneName(at, "UTC")).toBe("UTC");
    expect(timeZoneName(at, "Asia/Kolkata")).toBe("GMT+5:30");
  });

  it("accepts IANA zones and refuses anything else", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone("x".repeat(65))).toBe(false);
  });
});
