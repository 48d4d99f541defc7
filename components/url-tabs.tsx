"use client";

import { useSearchParams } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

export type UrlTab<T extends string> = { value: T; label: string; content: ReactNode };

/**
 * Tabs whose active one lives in the URL (`tab=`) so a link opens the same view; it is written with
 * history.replaceState, which Next.js picks up without asking the server again (every tab's content
 * was rendered with the page). The first tab is the default; an unknown value falls back to it.
 * A click selects its tab at once, from local state: Next.js applies the new URL in a transition,
 * which waits behind a refresh or navigation still in flight, and the tab must not wait with it.
 */
export function UrlTabs<T extends string>({ label, tabs }: { label: string; tabs: UrlTab<T>[] }) {
  const params = useSearchParams();
  const requested = params.get("tab");
  const fallback = tabs[0]?.value;
  const fromUrl = tabs.find((t) => t.value === requested)?.value ?? fallback;
  // The clicked tab and the URL's tab when it was clicked: it stands until the URL names another tab
  // (a link to another tab wins over an earlier click).
  const [chosen, setChosen] = useState<{ value: string; from: string | undefined } | null>(null);
  const active = chosen && (fromUrl === chosen.from || fromUrl === chosen.value) ? chosen.value : fromUrl;
  const select = (value: string) => {
    setChosen({ value, from: fromUrl });
    const next = new URLSearchParams(window.location.search);
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
