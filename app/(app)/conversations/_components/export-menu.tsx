"use client";

import {
  ChevronDown,
  Download,
  FileArchive,
  FileSpreadsheet,
  Gauge,
  ListTree,
  MessageSquareText,
} from "lucide-react";
import { type ReactNode, useState } from "react";
import { DisabledMenuItem, DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { ActionResult } from "@/lib/auth/action";
import type { ListTotal } from "@/lib/conversations/list";
import {
  type ConversationExportKind,
  EVENTS_TOO_OLD,
  EXPORT_KIND_LABELS,
  EXPORT_RESTRICTED,
  type ExportSelectionInput,
  LATENCY_REPORT_UNAVAILABLE,
  TOO_MANY_TRANSCRIPTS,
  TRANSCRIPT_EXPORT_LIMIT,
} from "@/lib/exports/kinds";
import type { ExportOptions } from "@/lib/exports/requests";
import { useExportDownloads } from "../../_components/export-downloads";
import { exportOptionsAction, startExportAction } from "../../exports/actions";
import { EventsPreviewDialog } from "./events-preview";
import { useSelection } from "./selection";

const SELECT_FIRST = "Select the conversations to export.";
const PREVIEW_ONE = "Select one conversation to preview its events.";

const ICONS: Record<ConversationExportKind, ReactNode> = {
  conversation_data: <FileSpreadsheet aria-hidden />,
  transcripts: <FileArchive aria-hidden />,
  events: <ListTree aria-hidden />,
  chat_transcript: <MessageSquareText aria-hidden />,
  latency_report: <Gauge aria-hidden />,
};

/**
 * The Export menu of the Conversations list: the picked rows' exports and downloads, each disabled
 * with its reason when the selection does not allow it (checked again by the server), plus the
 * metadata of everything matching the current filter. Without the permission the button itself is
 * inactive with the access restriction message.
 */
export function ExportMenu({
  canExport,
  filter,
  matching,
}: {
  canExport: boolean;
  /** The list's view (filters, search, sort) as URL values: listViewQuery. */
  filter: Record<string, string>;
  /** How many conversations the filter matches, when known cheaply (the planner's estimate). */
  /** How many conversations match (exact or estimated), when known. */
  matching: ListTotal | null;
}) {
  const { selected } = useSelection();
  const exports = useExportDownloads();
  const [options, setOptions] = useState<{ key: string; result: ActionResult<ExportOptions> } | null>(null);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const ids = [...selected];
  const key = ids.join(",");

  if (!canExport) {
    return (
      <DisabledWithReason reason={EXPORT_RESTRICTED}>
        <Button variant="outline" size="sm" disabled>
          <Download aria-hidden />
          Export
          <ChevronDown aria-hidden />
        </Button>
      </DisabledWithReason>
    );
  }

  const loadOptions = (open: boolean) => {
    if (!open || ids.length === 0 || options?.key === key) return;
    setOptions(null);
    void exportOptionsAction({ ids }).then((result) => setOptions({ key, result }));
  };
  const start = (kind: ConversationExportKind, selection: ExportSelectionInput) =>
    exports.start(startExportAction({ kind, selection }));

  const current = options?.key === key ? options.result : null;
  const info = current?.ok ? current.data : null;
  const none = ids.length === 0;
  /** Why `kind` is unavailable for the picked rows, or null; "pending" while the check runs. */
  const reason = (kind: ConversationExportKind): string | null => {
    if (none) return SELECT_FIRST;
    if (kind === "transcripts" && ids.length > TRANSCRIPT_EXPORT_LIMIT) return TOO_MANY_TRANSCRIPTS;
    if (kind !== "events" && kind !== "latency_report") return null;
    if (current && !current.ok) return current.error;
    if (!info) return "pending";
    if (kind === "events" && info.tooOldForEvents > 0) return EVENTS_TOO_OLD;
    if (kind === "latency_report" && info.latencyEligible < ids.length) return LATENCY_REPORT_UNAVAILABLE;
    return null;
  };

  const item = (kind: ConversationExportKind) => {
    const why = reason(kind);
    const content = (
      <>
        {ICONS[kind]}
        {EXPORT_KIND_LABELS[kind]}
      </>
    );
    if (why === null) {
      return (
        <DropdownMenuItem key={kind} onSelect={() => void start(kind, { ids })}>
          {content}
        </DropdownMenuItem>
      );
    }
    return why === "pending" ? (
      <DropdownMenuItem key={kind} disabled>
        {content}
      </DropdownMenuItem>
    ) : (
      <DisabledMenuItem key={kind} reason={why}>
        {content}
      </DisabledMenuItem>
    );
  };
  const previewReason = none ? SELECT_FIRST : ids.length > 1 ? PREVIEW_ONE : null;

  return (
    <>
      <DropdownMenu onOpenChange={loadOptions}>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <Download aria-hidden />
            Export
            <ChevronDown aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-72">
          <DropdownMenuLabel>
            {none
              ? "No conversations selected"
              : `${ids.length} selected conversation${ids.length === 1 ? "" : "s"}`}
          </DropdownMenuLabel>
          {item("conversation_data")}
          {item("transcripts")}
          {item("events")}
          {previewReason ? (
            <DisabledMenuItem reason={previewReason}>
              <ListTree aria-hidden />
              Preview Events
            </DisabledMenuItem>
          ) : (
            <DropdownMenuItem onSelect={() => setPreviewId(ids[0] ?? null)}>
              <ListTree aria-hidden />
              Preview Events
            </DropdownMenuItem>
          )}
          <DropdownMenuSeparator />
          {item("chat_transcript")}
          {item("latency_report")}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => void start("conversation_data", { filter })}>
            <FileSpreadsheet aria-hidden />
            {matching === null
              ? "Export all conversations matching the current filter"
              : `Export all (${matching.exact ? "" : "about "}${Math.round(matching.count).toLocaleString()}) matching the current filter`}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {previewId && (
        <EventsPreviewDialog
          conversationId={previewId}
          canExport={canExport}
          onClose={() => setPreviewId(null)}
        />
      )}
    </>
  );
}
