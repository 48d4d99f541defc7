"use client";

import { Copy, Download, Eye, FileText, ListTree, Printer } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { DisabledMenuItem as Unavailable } from "@/components/disabled-with-reason";
import { SpriteIcon } from "@/components/icon-sprite";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Channel } from "@/db/types";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { EventsPreviewDialog } from "./events-preview";
import { useRecordingFiles } from "./insights/recording-downloads";
import { useToast } from "./toast";

export type RowActionsProps = {
  conversationId: string;
  channel: Channel;
  canExport: boolean;
  /** Names the conversation in the menu button's label. */
  label: string;
  transcriptHref: string;
  /** Where Supervisor View goes, or why it is not offered. */
  supervisorView: { href: string } | { reason: string };
  identifiers: { label: string; value: string | null }[];
};

export const ONLY_CALLS_RECORDED = "Only calls have recordings";
export const RECORDING_PREPARING = "Preparing the recording… It downloads when it is ready.";

/** The ⋮ menu of a row: downloads, copy an identifier (confirmed by a toast), Supervisor View. */
export function RowActions({
  conversationId,
  channel,
  canExport,
  label,
  transcriptHref,
  supervisorView,
  identifiers,
}: RowActionsProps) {
  const toast = useToast();
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
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Actions for ${label}`}>
            <SpriteIcon name="more-vertical" />
          </Button>
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
          {identifiers.map(({ label: name, value }) =>
            value ? (
              <DropdownMenuItem key={name} onSelect={() => void copy(name, value)}>
                <Copy aria-hidden />
                Copy {name}
              </DropdownMenuItem>
            ) : (
              <Unavailable key={name} reason={`This conversation has no ${name}`}>
                <Copy aria-hidden />
                Copy {name}
              </Unavailable>
            ),
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
