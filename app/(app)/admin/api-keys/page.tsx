import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
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
import { listApiKeys } from "@/lib/api-keys/index";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { CreateApiKey } from "./_components/create-api-key";
import { RevokeApiKey } from "./_components/revoke-api-key";

export const metadata: Metadata = { title: "API keys · Admin" };

const never = <span className="text-muted-foreground">Never</span>;

export default async function AdminApiKeysPage() {
  const viewer = await requirePermission("admin:view");
  const keys = await listApiKeys(getDb());
  const canManage = can(viewer.role, "settings:manage");
  return (
    <section aria-labelledby="api-keys-heading" className="space-y-4">
      <h2 id="api-keys-heading" className="sr-only">
        API keys
      </h2>
      <p className="text-sm text-muted-foreground">
        Keys let other systems call Parley's API (<code>Authorization: Bearer …</code>). A key is shown once,
        when it is created.
      </p>
      {canManage && <CreateApiKey />}
      <TableCard>
        {keys.length === 0 ? (
          <TableEmpty icon={KeyRound} title="No API keys yet" />
        ) : (
          <Table aria-label="API keys">
            <TableHeaderRow columns={["Name", "Key", "Scopes", "Created", "Last used", "State"]} actions />
            <TableBody>
              {keys.map((key) => (
                <TableRow key={key.id} data-testid="api-key-row">
                  <TableCell className="font-medium">{key.name}</TableCell>
                  <TableCell className="font-mono text-xs">{key.prefix}_…</TableCell>
                  <TableCell>
                    <span className="flex gap-1">
                      {key.scopes.map((scope) => (
                        <Badge key={scope} variant="outline" className="font-mono">
                          {scope}
                        </Badge>
                      ))}
                    </span>
                  </TableCell>
                  <TableCell>
                    <LocalTime value={key.created_at} />
                    {key.created_by_name && (
                      <span className="block text-xs text-muted-foreground">by {key.created_by_name}</span>
                    )}
                  </TableCell>
                  <TableCell>{key.last_used_at ? <LocalTime value={key.last_used_at} /> : never}</TableCell>
                  <TableCell>
                    {key.revoked_at ? (
                      <Badge variant="danger">Revoked</Badge>
                    ) : (
                      <Badge variant="success">Active</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {key.revoked_at ? null : canManage ? (
                      <RevokeApiKey id={key.id} name={key.name} />
                    ) : (
                      <DisabledWithReason reason="Access restricted">
                        <Button size="sm" variant="outline" disabled>
                          Revoke
                        </Button>
                      </DisabledWithReason>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </TableCard>
    </section>
  );
}
