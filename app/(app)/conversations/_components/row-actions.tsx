"use client";

import { Copy, Download, Eye, FileText, ListTree, MoreVertical } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { DisabledMenuItem as Unavailable } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { EventsPreviewDialog } from "./events-preview";
import { useToast } from "./toast";

export type RowActionsProps = {
  conversationId: string;
  canExport: boolean;
  /** Names the conversation in the menu button's label. */
  label: string;
  transcriptHref: string;
  supervisorViewHref: string | null;
  identifiers: { label: string; value: string | null }[];
};

// Features that arrive with later issues stay visible, disabled with the reason on hover.
const RECORDINGS_LATER = "Recording downloads are not available yet";

/** The ⋮ menu of a row: downloads, copy an identifier (confirmed by a toast), Supervisor View. */
export function RowActions({
  conversationId,
  canExport,
  label,
  transcriptHref,
  supervisorViewHref,
  identifiers,
}: RowActionsProps) {
  const toast = useToast();
  const [previewing, setPreviewing] = useState(false);
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
            <MoreVertical aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <Unavailable reason={RECORDINGS_LATER}>
            <Download aria-hidden />
            Download recordings
          </Unavailable>
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
          {supervisorViewHref ? (
            <DropdownMenuItem asChild>
              <Link href={supervisorViewHref}>
                <Eye aria-hidden />
                Supervisor View
              </Link>
            </DropdownMenuItem>
          ) : (
            <Unavailable reason="Access restricted">
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
