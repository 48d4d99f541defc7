import type { Metadata } from "next";
import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { previewDeletions } from "@/lib/recordings/retention";
import { getSettings } from "@/lib/settings/request";
import { SettingsForm } from "./_components/settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };

export default async function AdminSettingsPage() {
  const viewer = await requirePermission("admin:view");
  const settings = await getSettings();
  const retentionPreview = await previewDeletions(getDb(), settings.recording_retention_days, new Date());
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading" className="sr-only">
        Settings
      </h2>
      <SettingsForm
        settings={settings}
        disabled={!can(viewer.role, "settings:manage")}
        retentionPreview={retentionPreview}
      />
    </section>
  );
}
