import { Headset } from "lucide-react";
import Link from "next/link";
import { type ReactNode, Suspense } from "react";
import { AppNav, MobileNav, type NavItem } from "@/components/app-nav";
import { IconSprite } from "@/components/icon-sprite";
import { NavigationProgress } from "@/components/navigation-progress";
import { DetectTimeZone, TimeZoneProvider } from "@/components/time-zone";
import { UserMenu } from "@/components/user-menu";
import { getDb } from "@/db/index";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getViewerClock, requireViewer } from "@/lib/auth/viewer";
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
  const [inbox, dispositionEmails, clock] = await Promise.all([
    getInbox(getDb(), viewer.id),
    getDispositionEmails(getDb(), viewer.id),
    getViewerClock(),
  ]);
  return (
    <TimeZoneProvider timeZone={clock.timeZone}>
      <div className="flex min-h-dvh flex-col">
        {/* Signed in before the zone was detected: detect it now (shown from the next render on). */}
        {!clock.known && <DetectTimeZone refresh />}
        <IconSprite />
        <Suspense>
          <NavigationProgress />
        </Suspense>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <header className="sticky top-0 z-40 border-b border-border bg-background/95 backdrop-blur">
          <div className="flex h-14 w-full items-center gap-2 px-4 sm:gap-4 sm:px-6">
            <MobileNav items={nav} />
            <Link href="/conversations" className="flex items-center gap-2 font-semibold tracking-tight">
              <Headset className="size-5 text-primary" aria-hidden />
              <span>Parley</span>
            </Link>
            <AppNav items={nav} className="hidden sm:flex" />
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
    </TimeZoneProvider>
  );
}
