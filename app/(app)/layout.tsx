import { Headset } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { AppNav, type NavItem } from "@/components/app-nav";
import { UserMenu } from "@/components/user-menu";
import { getDb } from "@/db/index";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireViewer } from "@/lib/auth/viewer";
import { getDispositionEmails, getInbox } from "@/lib/notifications/index";
import { ExportDownloadsProvider } from "./_components/export-downloads";
import { NotificationBell } from "./_components/notification-bell";

// The shell only decides what to show; each page checks its own access again, because layouts are
// not re-rendered on client-side navigation.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  const nav: NavItem[] = [
    { href: "/conversations", label: "Conversations", allowed: can(viewer.role, "conversations:read") },
    { href: "/monitor", label: "Monitor", allowed: can(viewer.role, "monitor:view") },
    { href: "/exports", label: "Exports", allowed: can(viewer.role, "conversations:export") },
    { href: "/admin", label: "Admin", allowed: can(viewer.role, "admin:view") },
  ];
  const [inbox, dispositionEmails] = await Promise.all([
    getInbox(getDb(), viewer.id),
    getDispositionEmails(getDb(), viewer.id),
  ]);
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-border bg-background/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-screen-2xl items-center gap-4 px-4 sm:px-6">
          <Link href="/conversations" className="flex items-center gap-2 font-semibold tracking-tight">
            <Headset className="size-5 text-primary" aria-hidden />
            <span>Parley</span>
          </Link>
          <AppNav items={nav} />
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell initial={inbox} dispositionEmails={dispositionEmails} />
            <UserMenu
              user={{ id: viewer.id, name: viewer.name, avatarUpdatedAt: viewer.avatarUpdatedAt }}
              email={viewer.email}
              roleLabel={ROLE_LABELS[viewer.role]}
            />
          </div>
        </div>
      </header>
      <main id="main" className="flex-1 bg-surface">
        <ExportDownloadsProvider>{children}</ExportDownloadsProvider>
      </main>
    </div>
  );
}
