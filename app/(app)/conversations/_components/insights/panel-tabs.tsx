"use client";

import { type UrlTab, UrlTabs } from "@/components/url-tabs";

export const PANEL_TABS = ["transcript", "details", "user", "identifiers"] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

/** The panel's tabs, Transcript first (the default); the active one is in the URL. */
export function PanelTabs({ tabs }: { tabs: UrlTab<PanelTab>[] }) {
  return <UrlTabs label="Insights to Logs" tabs={tabs} />;
}
