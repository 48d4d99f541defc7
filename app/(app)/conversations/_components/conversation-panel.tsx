import { X } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { SectionErrorBoundary } from "@/components/section-error-boundary";
import { SkeletonRows } from "@/components/skeleton-rows";
import { buttonVariants } from "@/components/ui/button";
import { InsightsPanel } from "./insights/insights-panel";
import { PanelShell } from "./panel-shell";

/**
 * The Insights to Logs panel: a resizable split beside the table on wide screens, a modal side sheet
 * below 2xl (full screen on a phone); see panel-shell.tsx. Open is URL state (`open=<id>`), so the
 * panel is a link; closing goes to the same URL without it.
 */
export function ConversationPanel({ id, closeHref, q }: { id: string; closeHref: string; q?: string }) {
  return (
    <PanelShell id={id} closeHref={closeHref}>
      <div className="flex items-center justify-end border-b border-border px-2 py-1">
        <Link
          href={closeHref}
          scroll={false}
          aria-label="Close panel"
          title="Close (Esc)"
          className={buttonVariants({ variant: "ghost", size: "icon" })}
        >
          <X aria-hidden />
        </Link>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-4">
        <SectionErrorBoundary key={`${id} ${q ?? ""}`} title="This conversation could not be loaded">
          <Suspense fallback={<PanelLoading />}>
            <InsightsPanel conversationId={id} q={q} />
          </Suspense>
        </SectionErrorBoundary>
      </div>
    </PanelShell>
  );
}

function PanelLoading() {
  return <SkeletonRows label="Loading conversation…" rows={6} rowClassName="h-6" className="space-y-3" />;
}
