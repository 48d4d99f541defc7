// One clock: every time Parley shows is formatted by these functions with an explicit IANA zone
// (the viewer's, see lib/users/time-zone.ts), on the server and in the browser alike, so the
// server's HTML and the hydrated page read the same. The text is assembled from parts rather than
// taken from a locale's own pattern, whose separators differ between ICU versions (Node's and the
// browser's may disagree, e.g. a narrow no-break space before "PM"), which would break hydration.

/** Set by the browser on the sign-in page: the zone it runs in, adopted as the user's at sign-in. */
export const TIME_ZONE_COOKIE = "parley-tz";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `at`'s parts in `timeZone` (en-US, cached formatters): part("hour"), part("dayPeriod")… */
export function partsOf(at: Date, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    formatters.set(key, format);
  }
  const parts = format.formatToParts(at);
  return (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
}

/** "Dec 7, 2026, 4:12 PM" in `timeZone`. */
export function formatDateTime(at: Date, timeZone: string): string {
  const part = partsOf(at, timeZone, {
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
  });
  return `${part("month")} ${part("day")}, ${part("year")}, ${part("hour")}:${part("minute")} ${part("dayPeriod").toUpperCase()}`;
}

/** "Dec 7, 2026, 4:12:05 PM" in `timeZone` (seconds, for event logs). */
export function formatDateTimeSeconds(at: Date, timeZone: string): string {
  const part = partsOf(at, timeZone, {
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    hour12: true,
  });
  return `${part("month")} ${part("day")}, ${part("year")}, ${part("hour")}:${part("minute")}:${part("second")} ${part("dayPeriod").toUpperCase()}`;
}

/** The zone's short name at that moment, e.g. "GMT+5:30", "EST", "UTC", for labelling times. */
export function timeZoneName(at: Date, timeZone: string): string {
  return partsOf(at, timeZone, { timeZoneName: "short" })("timeZoneName") || timeZone;
}

/** True for an IANA time zone this runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The zone this process runs in: what times are shown in until the viewer's zone is known. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
