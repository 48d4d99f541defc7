"use client";

const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * A timestamp in the reader's own time zone and locale. The server renders it in its zone first;
 * the browser's rendering replaces it during hydration, hence the suppressed mismatch warning.
 */
export function LocalTime({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} suppressHydrationWarning>
      {format.format(value)}
    </time>
  );
}
