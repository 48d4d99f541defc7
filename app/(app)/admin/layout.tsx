import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/viewer";
import { AdminNav } from "./_components/admin-nav";

// Checked here so the whole section answers 403 before anything streams; each page checks again
// because layouts are not re-rendered on client-side navigation between the tabs.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePermission("admin:view");
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <PageHeader
        title="Admin"
        description="Users and roles, settings, API keys, webhooks, the audit log and outgoing e-mail."
      />
      <AdminNav />
      {children}
    </div>
  );
}
