"use client";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { EmailHeaders } from "@/lib/conversations/detail";

/** "View Details": the e-mail's From, To, CC and BCC in a pop-up. */
export function EmailDetails({ email }: { email: EmailHeaders }) {
  const rows: [string, string][] = [
    ["From", email.from ?? "—"],
    ["To", email.to.join(", ") || "—"],
    ["CC", email.cc.join(", ") || "—"],
    ["BCC", email.bcc.join(", ") || "—"],
  ];
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button type="button" variant="outline" size="sm">
          View Details
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>E-mail details</DialogTitle>
        <DialogDescription>{email.subject ?? "(no subject)"}</DialogDescription>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-medium text-muted-foreground">{label}</dt>
              <dd className="break-all" data-testid={`email-${label.toLowerCase()}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
