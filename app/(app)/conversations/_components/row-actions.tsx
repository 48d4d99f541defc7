"use client";

import { Copy, Download, Eye, FileText, ListTree, Printer } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { customerLabel } from "@/components/conversation-cells";
import { DisabledMenuItem as Unavailable } from "@/components/disabled-with-reason";
import { SpriteIcon } from "@/components/icon-sprite";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { NOT_ONGOING } from "@/lib/platform/messages";
import { UNREACHABLE } from "../../_components/export-downloads";
import { EventsPreviewDialog } from "./events-preview";
import { rowIdentifiersAction } from "./identifier-actions";
import { useRecordingFiles } from "./insights/recording-downloads";
import type { ListRow } from "./list-table";
import { useToast } from "./toast";

type Identifiers = Extract<Awaited<ReturnType<typeof rowIdentifiersAction>>, { ok: true }>["data"];

/** What the menu copies, in its order. */
const IDENTIFIERS: [string, keyof Identifiers][] = [
  ["User ID", "userRef"],
  ["Session ID", "sessionId"],
  ["Call Conversation ID", "callConversationId"],
  ["Agent Conversation ID", "agentConversationId"],
  ["X External Call ID", "externalCallId"],
];

export const ONLY_CALLS_RECORDED = "Only calls have recordings";
export const RECORDING_PREPARING = "Preparing the recording… It downloads when it is ready.";

/** The ⋮ menu of a row: downloads, copy an identifier (confirmed by a toast), Supervisor View. */
export function RowActions({
  row,
  canExport,
  canIntervene,
}: {
  row: ListRow;
  canExport: boolean;
  canIntervene: boolean;
}) {
  const { id: conversationId, channel } = row;
  const label = customerLabel(row.customer);
  const transcriptHref = `/api/conversations/${conversationId}/transcript`;
  // Supervisor View is for ongoing conversations (the spec's, as Monitor's).
  const supervisorView: { href: string } | { reason: string } = !canIntervene
    ? { reason: "Access restricted" }
    : row.status !== "in_progress"
      ? { reason: NOT_ONGOING }
      : { href: `/monitor?conversation=${conversationId}` };
  const toast = useToast();
  // The identifiers to copy are read when the menu first opens, not sent with every row.
  const [identifiers, setIdentifiers] = useState<Identifiers | { error: string } | null>(null);
  const requested = useRef(false);
  const loadIdentifiers = () => {
    if (requested.current) return;
    requested.current = true;
    const failed = (error: string) => {
      requested.current = false; // the next opening tries again
      setIdentifiers({ error });
    };
    rowIdentifiersAction({ conversationId }).then(
      (result) => (result.ok ? setIdentifiers(result.data) : failed(result.error)),
      () => failed(UNREACHABLE),
    );
  };
  const [previewing, setPreviewing] = useState(false);
  // "Download recordings": the merged FLAC (all legs, a channel each), as the player's single file.
  const recording = useRecordingFiles(conversationId);
  useEffect(() => {
    if (recording.error) toast(recording.error);
  }, [recording.error, toast]);
  const copy = async (name: string, value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      toast(`${name} copied`);
    } catch {
      toast(`Could not copy the ${name}: the browser refused access to the clipboard`);
    }
  };
  return (
    <>
      <DropdownMenu onOpenChange={(open) => open && loadIdentifiers()}>
        <DropdownMenuTrigger asChild>
          <button type="button" className="row-actions" aria-label={`Actions for ${label}`}>
            <SpriteIcon name="more-vertical" />
          </button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          {channel === "voice" && canExport ? (
            <DropdownMenuItem
              disabled={recording.busy}
              onSelect={() => {
                toast(RECORDING_PREPARING);
                void recording.request(["merged"]);
              }}
            >
              <Download aria-hidden />
              Download recordings
            </DropdownMenuItem>
          ) : (
            <Unavailable reason={channel === "voice" ? EXPORT_RESTRICTED : ONLY_CALLS_RECORDED}>
              <Download aria-hidden />
              Download recordings
            </Unavailable>
          )}
          {canExport ? (
            <DropdownMenuItem asChild>
              <a href={transcriptHref} download>
                <FileText aria-hidden />
                Download transcript
              </a>
            </DropdownMenuItem>
          ) : (
            <Unavailable reason={EXPORT_RESTRICTED}>
              <FileText aria-hidden />
              Download transcript
            </Unavailable>
          )}
          {canExport ? (
            <DropdownMenuItem asChild>
              {/* The printable page (app/print/transcript), in a tab of its own. */}
              <a href={`/print/transcript/${conversationId}`} target="_blank" rel="noopener">
                <Printer aria-hidden />
                Print transcript
              </a>
            </DropdownMenuItem>
          ) : (
            <Unavailable reason={EXPORT_RESTRICTED}>
              <Printer aria-hidden />
              Print transcript
            </Unavailable>
          )}
          <DropdownMenuSeparator />
          {identifiers === null ? (
            <DropdownMenuItem disabled>
              <Copy aria-hidden />
              Loading identifiers…
            </DropdownMenuItem>
          ) : (
            IDENTIFIERS.map(([name, key]) => {
              const value = "error" in identifiers ? null : identifiers[key];
              return value ? (
                <DropdownMenuItem key={name} onSelect={() => void copy(name, value)}>
                  <Copy aria-hidden />
                  Copy {name}
                </DropdownMenuItem>
              ) : (
                <Unavailable
                  key={name}
                  reason={"error" in identifiers ? identifiers.error : `This conversation has no ${name}`}
                >
                  <Copy aria-hidden />
                  Copy {name}
                </Unavailable>
              );
            })
          )}
          <DropdownMenuSeparator />
          {"href" in supervisorView ? (
            <DropdownMenuItem asChild>
              <Link href={supervisorView.href}>
                <Eye aria-hidden />
                Supervisor View
              </Link>
            </DropdownMenuItem>
          ) : (
            <Unavailable reason={supervisorView.reason}>
              <Eye aria-hidden />
              Supervisor View
            </Unavailable>
          )}
          <DropdownMenuItem onSelect={() => setPreviewing(true)}>
            <ListTree aria-hidden />
            Preview Events
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {previewing && (
        <EventsPreviewDialog
          conversationId={conversationId}
          canExport={canExport}
          onClose={() => setPreviewing(false)}
        />
      )}
    </>
  );
}
