import type { Metadata } from "next";
import { AccessRestricted } from "@/components/access-restricted";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { UserAvatar } from "@/components/user-avatar";
import { getDb } from "@/db/index";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { requireViewer } from "@/lib/auth/viewer";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const viewer = await requireViewer();
  if (!can(viewer.role, "admin:view")) return <AccessRestricted what="the Admin console" />;
  const users = await listUsers(getDb());
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <PageHeader title="Admin" description={`Users and their roles (${users.length}).`} />
      <div className="rounded-lg border border-border bg-background shadow-xs">
        <Table aria-label="Users">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Name</TableHead>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Team</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Last seen</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => (
              <TableRow key={user.id} data-testid="user-row">
                <TableCell>
                  <span className="flex items-center gap-2 font-medium">
                    <UserAvatar user={user} className="size-7" />
                    {user.name}
                  </span>
                </TableCell>
                <TableCell>{user.email}</TableCell>
                <TableCell>
                  <Badge variant={user.role === "agent" ? "muted" : "outline"}>
                    {ROLE_LABELS[user.role]}
                  </Badge>
                </TableCell>
                <TableCell>{user.teamName ?? <span className="text-muted-foreground">—</span>}</TableCell>
                <TableCell>
                  {user.deactivatedAt ? (
                    <Badge variant="danger">Deactivated</Badge>
                  ) : (
                    <Badge variant="success">Active</Badge>
                  )}
                </TableCell>
                <TableCell>
                  {user.lastSeenAt ? (
                    <LocalTime value={user.lastSeenAt} />
                  ) : (
                    <span className="text-muted-foreground">Never</span>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
