import { SearchX } from "lucide-react";
import type { ReactNode } from "react";
import { getDb } from "@/db/index";
import { noteAccess } from "@/lib/audit/note-access";
import { ACCESS_RESTRICTED } from "@/lib/auth/action";
import { can } from "@/lib/auth/permissions";
import { requireViewer } from "@/lib/auth/viewer";
import { CONVERSATION_NOT_AVAILABLE, getConversationDetail } from "@/lib/conversations/detail";
import { listDispositionOptions, STILL_IN_PROGRESS } from "@/lib/conversations/disposition";
import { parseSearch } from "@/lib/search/index";
import { getSettings } from "@/lib/settings/request";
import { AccessSection } from "./access-section";
import { DetailsTab } from "./details-tab";
import { DispositionControls } from "./disposition-controls";
import { IdentifiersTab } from "./identifiers-tab";
import { PanelHeader } from "./panel-header";
import { PanelTabs } from "./panel-tabs";
import { TranscriptTab } from "./transcript-tab";
import { UserTab } from "./user-tab";

/**
 * The Insights to Logs panel for one conversation (spec: "Insights to Logs"). The page places it
 * (beside the list, behind its own Suspense boundary); this renders the conversation or the
 * not-available state.
 */
export async function InsightsPanel({ conversationId, q }: { conversationId: string; q?: string }) {
  const viewer = await requireViewer();
  const db = getDb();
  // Opened from a search: the transcript marks what it matched.
  const search = q ? await parseSearch(db, q) : null;
  // Scoped and masked by the loader: an id outside the viewer's scope reads exactly like a missing one.
  const canEdit = can(viewer.role, "dispositions:edit");
  const [detail, settings, dispositionOptions] = await Promise.all([
    getConversationDetail(db, viewer, conversationId, { search: search?.ok ? search.tsquery : undefined }),
    getSettings(),
    canEdit ? listDispositionOptions(db) : [],
  ]);
  if (!detail) return <NotAvailable />;
  await noteAccess(viewer, detail.id, "conversation.view");
  const dispositionControls = (
    <DispositionControls
      conversationId={detail.id}
      current={detail.details.disposition}
      options={dispositionOptions}
      log={detail.details.dispositionLog}
      editDisabledReason={
        !canEdit ? ACCESS_RESTRICTED : detail.details.status === "in_progress" ? STILL_IN_PROGRESS : null
      }
    />
  );
  return (
    <Frame labelledBy="insights-title">
      <PanelHeader detail={detail} />
      <PanelTabs
        tabs={[
          {
            value: "transcript",
            label: "Transcript",
            content: <TranscriptTab detail={detail} format={settings.time_display_format} q={q} />,
          },
          {
            value: "details",
            label: "Details",
            content: <DetailsTab details={detail.details} dispositionControls={dispositionControls} />,
          },
          { value: "user", label: "User", content: <UserTab user={detail.user} /> },
          { value: "identifiers", label: "Identifiers", content: <IdentifiersTab detail={detail} /> },
        ]}
      />
      <AccessSection conversationId={detail.id} viewer={viewer} />
    </Frame>
  );
}

function Frame({ children, labelledBy }: { children: ReactNode; labelledBy?: string }) {
  return (
    <section
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : "Insights to Logs"}
      data-testid="insights-panel"
      className="flex min-h-0 flex-col"
    >
      {children}
    </section>
  );
}

function NotAvailable() {
  return (
    <Frame>
      <div className="flex flex-col items-center gap-2 px-4 py-16 text-center" role="status">
        <SearchX className="size-8 text-muted-foreground" aria-hidden />
        <p className="font-medium">{CONVERSATION_NOT_AVAILABLE}</p>
        <p className="text-sm text-muted-foreground">
          It may have been removed, or you may not have access to it.
        </p>
      </div>
    </Frame>
  );
}
