"use client";

import { formatDateTime } from "@/lib/time/format";
import { useTimeZone } from "./time-zone";

/** A timestamp in the viewer's time zone: the same text on the server and after hydration. */
export function LocalTime({ value }: { value: Date }) {
  return <time dateTime={value.toISOString()}>{formatDateTime(value, useTimeZone())}</time>;
}
