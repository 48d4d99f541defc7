import { Mail } from "lucide-react";
import type { Metadata } from "next";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db/index";
import { requirePermission } from "@/lib/auth/viewer";
import { readEnv } from "@/lib/config/env";
import { listOutbox } from "@/lib/email/outbox";

export const metadata: Metadata = { title: "Outbox · Admin" };

const STATUS_LABELS = { pending: "Not sent", sent: "Sent", failed: "Failed" } as const;

/** Every notice Parley wrote (recording deletion warnings and confirmations), newest first. */
export default async function AdminOutboxPage() {
  await requirePermission("admin:view");
  const mails = await listOutbox(getDb());
  const smtp = Boolean(readEnv().SMTP_URL);
  return (
    <section aria-labelledby="outbox-heading" className="space-y-4">
      <h2 id="outbox-heading" className="sr-only">
        Outbox
      </h2>
      <p className="text-sm text-muted-foreground">
        {smtp
          ? "E-mail is sent through the configured SMTP server; this is what was sent or is waiting to be."
          : "No SMTP server is configured (SMTP_URL): nothing is sent. This is what would have been sent."}
      </p>
      {mails.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-lg border border-border py-12 text-center text-sm text-muted-foreground">
          <Mail className="size-6" aria-hidden />
          No e-mail yet.
        </div>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-border">
          <Table aria-label="Outbox">
            <TableHeader>
              <TableRow>
                <TableHead>Written</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Subject and message</TableHead>
                <TableHead>Status</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {mails.map((m) => (
                <TableRow key={m.id} data-testid="outbox-row">
                  <TableCell className="whitespace-nowrap align-top">
                    <LocalTime value={m.created_at} />
                  </TableCell>
                  <TableCell className="align-top">{m.recipients.join(", ")}</TableCell>
                  <TableCell className="max-w-xl align-top">
                    <details>
                      <summary className="cursor-pointer font-medium">{m.subject}</summary>
                      <pre className="mt-2 whitespace-pre-wrap break-words font-sans text-xs text-muted-foreground">
                        {m.text_body}
                      </pre>
                    </details>
                  </TableCell>
                  <TableCell className="align-top">
                    <Badge
                      variant={m.status === "failed" ? "danger" : m.status === "sent" ? "success" : "muted"}
                    >
                      {smtp || m.status !== "pending" ? STATUS_LABELS[m.status] : "Would be sent"}
                    </Badge>
                    {m.sent_at && (
                      <div className="mt-1 text-xs text-muted-foreground">
                        <LocalTime value={m.sent_at} />
                      </div>
                    )}
                    {m.last_error && <div className="mt-1 text-xs text-destructive">{m.last_error}</div>}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
