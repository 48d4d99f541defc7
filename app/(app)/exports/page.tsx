import { Download, FileDown, RotateCcw } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import {
  Table,
  TableBody,
  TableCard,
  TableCell,
  TableEmpty,
  TableHeaderRow,
  TableRow,
} from "@/components/ui/table";
import { getDb } from "@/db/index";
import { exportAllowed } from "@/lib/auth/export-access";
import { requirePermission } from "@/lib/auth/viewer";
import { EXPORT_KIND_LABELS, EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { type ExportSummary, listExports } from "@/lib/exports/requests";
import { RetryExport } from "./_components/retry-export";

export const metadata: Metadata = { title: "Exports" };

const STATUS: Record<
  ExportSummary["status"],
  { label: string; variant: "muted" | "info" | "success" | "danger" }
> = {
  queued: { label: "Queued", variant: "muted" },
  running: { label: "Preparing", variant: "info" },
  succeeded: { label: "Ready", variant: "success" },
  failed: { label: "Failed", variant: "danger" },
};

function size(bytes: number | null): string {
  if (bytes === null) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The viewer's own exports, newest first, to download again or retry. */
export default async function ExportsPage() {
  const viewer = await requirePermission("conversations:export");
  const db = getDb();
  const [exports, allowed] = await Promise.all([listExports(db, viewer), exportAllowed(db, viewer)]);
  return (
    <div className="w-full px-4 py-6 sm:px-6">
      <PageHeader
        title="Exports"
        description="Your exports and downloads. Files are prepared in the background."
      />
      <TableCard>
        {exports.length === 0 ? (
          <TableEmpty icon={FileDown} title="No exports yet" className="py-16">
            <p className="text-sm text-muted-foreground">
              Select conversations and choose Export to create one.
            </p>
            <Link
              href="/conversations"
              className={cn(buttonVariants({ variant: "outline", size: "sm" }), "mt-2")}
            >
              Go to Conversations
            </Link>
          </TableEmpty>
        ) : (
          <Table aria-label="Exports">
            <TableHeaderRow
              columns={["File", "Type", "Requested", "Conversations", "Size", "Status"]}
              actions
            />
            <TableBody>
              {exports.map((e) => (
                <TableRow key={e.id} data-testid="export-row" data-export-id={e.id}>
                  <TableCell className="font-mono text-xs">{e.fileName}</TableCell>
                  <TableCell>{EXPORT_KIND_LABELS[e.kind]}</TableCell>
                  <TableCell>
                    <LocalTime value={e.createdAt} />
                  </TableCell>
                  <TableCell className="tabular-nums">{e.conversationCount ?? "—"}</TableCell>
                  <TableCell className="tabular-nums">{size(e.sizeBytes)}</TableCell>
                  <TableCell>
                    <Badge variant={STATUS[e.status].variant}>
                      {STATUS[e.status].label}
                      {e.status === "running" && e.progress > 0 ? ` ${e.progress}%` : ""}
                    </Badge>
                    {e.error && (
                      <p className="mt-1 max-w-xs whitespace-normal break-words text-xs text-destructive">
                        {e.error}
                      </p>
                    )}
                  </TableCell>
                  <TableCell className="text-right">
                    {!allowed && e.status !== "queued" && e.status !== "running" ? (
                      <DisabledWithReason reason={EXPORT_RESTRICTED}>
                        <Button size="sm" variant="outline" disabled>
                          {e.status === "failed" ? <RotateCcw aria-hidden /> : <Download aria-hidden />}
                          {e.status === "failed" ? "Retry" : "Download"}
                        </Button>
                      </DisabledWithReason>
                    ) : e.status === "succeeded" ? (
                      <a
                        href={`/api/exports/${e.id}/download`}
                        download={e.fileName}
                        className={buttonVariants({ variant: "outline", size: "sm" })}
                        aria-label={`Download ${e.fileName}`}
                      >
                        <Download aria-hidden />
                        Download
                      </a>
                    ) : (
                      e.status === "failed" && <RetryExport id={e.id} fileName={e.fileName} />
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </TableCard>
    </div>
  );
}
