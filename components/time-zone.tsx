"use client";

import { useRouter } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { TIME_ZONE_COOKIE } from "@/lib/time/format";

// The viewer's time zone, decided on the server (lib/auth/viewer.ts getViewerTimeZone) and handed
// to client components, so they format times exactly as the server's HTML did.
const TimeZoneContext = createContext<string>("UTC");

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  return <TimeZoneContext value={timeZone}>{children}</TimeZoneContext>;
}

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

/** The browser's own zone. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Tells the server which zone this browser is in: a cookie read at sign-in (lib/auth/viewer.ts). */
export function reportBrowserTimeZone(): void {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain, non-sensitive hint the server validates
  document.cookie = `${TIME_ZONE_COOKIE}=${browserTimeZone()}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * Reports the browser's zone once the page has loaded (the sign-in buttons report it again on click,
 * so a click that beats this effect still signs in with it). With `refresh`, for a viewer whose zone
 * is not stored yet (signed in before it was detected): re-renders once it is set.
 */
export function DetectTimeZone({ refresh = false }: { refresh?: boolean }) {
  const router = useRouter();
  useEffect(() => {
    reportBrowserTimeZone();
    if (refresh) router.refresh();
  }, [refresh, router]);
  return null;
}
