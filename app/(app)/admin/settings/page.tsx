import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { getSettings } from "@/lib/settings/request";
import { RetentionPreview } from "./_components/retention-preview";
import { SettingsForm } from "./_components/settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };

export default async function AdminSettingsPage() {
  const viewer = await requirePermission("admin:view");
  const settings = await getSettings();
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading" className="sr-only">
        Settings
      </h2>
      <SettingsForm settings={settings} disabled={!can(viewer.role, "settings:manage")} />
      <RetentionPreview retentionDays={settings.recording_retention_days} />
    </section>
  );
}
