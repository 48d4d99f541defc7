import { ArrowLeft, Download } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { PageHeader } from "@/components/page-header";
import { buttonVariants } from "@/components/ui/button";
import { UrlTabs } from "@/components/url-tabs";
import { getDb } from "@/db/index";
import { noteAccess } from "@/lib/audit/note-access";
import { exportAllowed } from "@/lib/auth/export-access";
import { requirePermission } from "@/lib/auth/viewer";
import { NO_CAPTURE_REASON, PCAP_OBSCURED_REASON } from "@/lib/diagnostics/download";
import { getDiagnosticsView } from "@/lib/diagnostics/view";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { getSettings } from "@/lib/settings/request";
import { AgentsTab } from "./_components/agents-tab";
import { CaptureState } from "./_components/capture-state";
import { FlowTab } from "./_components/flow-tab";
import { QosTab } from "./_components/qos-tab";

export const metadata: Metadata = { title: "Diagnostics" };

// Diagnostics of one voice conversation (spec: "Diagnostics"): Flow, QoS and Agents, and the two
// exports. Reached from the Insights to Logs panel of a call; any other conversation is a 404.
// No loading.tsx for this page: its Suspense boundary would send 200 before notFound() runs, and a
// chat or a call outside the viewer's scope must answer 404 (the authorization matrix checks it).
export default async function DiagnosticsPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePermission("conversations:read");
  const { id } = await params;
  const settings = await getSettings();
  const view = await getDiagnosticsView(getDb(), viewer, id, {
    obscureCustomerInfo: settings.obscure_customer_info,
  });
  if (!view) notFound();
  await noteAccess(viewer, view.conversationId, "diagnostics.view");
  const parsed = view.capture?.state === "parsed";
  // Why an export is inactive: the admin withheld downloads, or there is no parsed capture.
  const restricted = (await exportAllowed(getDb(), viewer)) ? null : EXPORT_RESTRICTED;
  const noCapture = parsed ? null : NO_CAPTURE_REASON;

  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <Link
        href={`/conversations?open=${view.conversationId}`}
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden />
        Back to the conversation
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageHeader
          title="Diagnostics"
          description="Call signalling, media quality and agent sessions of this call."
        />
        <div className="flex flex-wrap gap-2">
          <ExportLink
            href={`/api/conversations/${view.conversationId}/diagnostics/pcap`}
            label="Export PCAP"
            disabledReason={restricted ?? noCapture ?? (view.obscured ? PCAP_OBSCURED_REASON : null)}
          />
          <ExportLink
            href={`/api/conversations/${view.conversationId}/diagnostics/text`}
            label="Export TEXT"
            disabledReason={restricted ?? noCapture}
          />
        </div>
      </div>
      <CaptureState view={view} />
      <UrlTabs
        label="Diagnostics"
        tabs={[
          { value: "flow", label: "Flow", content: <FlowTab view={view} /> },
          { value: "qos", label: "QoS", content: <QosTab view={view} /> },
          { value: "agents", label: "Agents", content: <AgentsTab view={view} /> },
        ]}
      />
    </div>
  );
}

function ExportLink({
  href,
  label,
  disabledReason,
}: {
  href: string;
  label: string;
  disabledReason: string | null;
}) {
  const className = buttonVariants({ variant: "outline", size: "sm" });
  const body = (
    <>
      <Download aria-hidden />
      {label}
    </>
  );
  if (disabledReason) {
    return (
      <DisabledWithReason reason={disabledReason}>
        <button type="button" disabled className={className}>
          {body}
        </button>
      </DisabledWithReason>
    );
  }
  return (
    // A plain link: the route answers with a file download (Content-Disposition: attachment).
    <a href={href} download className={className}>
      {body}
    </a>
  );
}
