import { X } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { SectionErrorBoundary } from "@/components/section-error-boundary";
import { SkeletonRows } from "@/components/skeleton-rows";
import { buttonVariants } from "@/components/ui/button";
import { InsightsPanel } from "./insights/insights-panel";

/**
 * The Insights to Logs panel beside the table on wide screens, a sheet over it below 2xl (a laptop
 * keeps the table at full width). Open is URL state (`open=<id>`), so the panel is a link; closing
 * goes to the same URL without it.
 */
export function ConversationPanel({ id, closeHref, q }: { id: string; closeHref: string; q?: string }) {
  return (
    <aside
      aria-label="Conversation details"
      data-testid="conversation-panel"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-xl flex-col border-l border-border bg-background shadow-xl 2xl:sticky 2xl:top-[4.5rem] 2xl:z-auto 2xl:max-h-[calc(100dvh-6rem)] 2xl:w-auto 2xl:max-w-none 2xl:rounded-lg 2xl:border 2xl:shadow-xs"
    >
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
    </aside>
  );
}

function PanelLoading() {
  return <SkeletonRows label="Loading conversation…" rows={6} rowClassName="h-6" className="space-y-3" />;
}
