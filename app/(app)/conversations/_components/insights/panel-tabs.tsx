"use client";

import { useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

export const PANEL_TABS = ["transcript", "details", "user", "identifiers"] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

/**
 * The panel's tabs. The active one lives in the URL (`tab=`) so a link opens the same view; it is
 * written with history.replaceState, which Next.js picks up without asking the server again (the
 * tabs' contents were all rendered with the panel). An unknown value falls back to Transcript.
 */
export function PanelTabs({ tabs }: { tabs: { value: PanelTab; label: string; content: ReactNode }[] }) {
  const params = useSearchParams();
  const requested = params.get("tab");
  const active = tabs.some((t) => t.value === requested) ? (requested as PanelTab) : "transcript";
  const select = (value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value === "transcript") next.delete("tab");
    else next.set("tab", value);
    const query = next.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
  };
  return (
    <Tabs value={active} onValueChange={select} className="flex min-h-0 flex-1 flex-col">
      <TabsList aria-label="Insights to Logs">
        {tabs.map((tab) => (
          <TabsTrigger key={tab.value} value={tab.value}>
            {tab.label}
          </TabsTrigger>
        ))}
      </TabsList>
      {tabs.map((tab) => (
        <TabsContent key={tab.value} value={tab.value} className="min-h-0 flex-1 py-4">
          {tab.content}
        </TabsContent>
      ))}
    </Tabs>
  );
}
