"use client";

import { useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

export type UrlTab<T extends string> = { value: T; label: string; content: ReactNode };

/**
 * Tabs whose active one lives in the URL (`tab=`) so a link opens the same view; it is written with
 * history.replaceState, which Next.js picks up without asking the server again (every tab's content
 * was rendered with the page). The first tab is the default; an unknown value falls back to it.
 */
export function UrlTabs<T extends string>({ label, tabs }: { label: string; tabs: UrlTab<T>[] }) {
  const params = useSearchParams();
  const requested = params.get("tab");
  const fallback = tabs[0]?.value;
  const active = tabs.find((t) => t.value === requested)?.value ?? fallback;
  const select = (value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value === fallback) next.delete("tab");
    else next.set("tab", value);
    const query = next.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  };
  return (
    <Tabs value={active} onValueChange={select} className="flex min-h-0 flex-1 flex-col">
      <TabsList aria-label={label}>
        {tabs.map((tab) => (
          <TabsTrigger key={tab.value} value={tab.value}>
            {tab.label}
          </TabsTrigger>
        ))}
      </TabsList>
      {tabs.map((tab) => (
        <TabsContent key={tab.value} value={tab.value} className="min-h-0 min-w-0 flex-1 py-4">
          {tab.content}
        </TabsContent>
      ))}
    </Tabs>
  );
}
