import type { Metadata } from "next";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCard, TableCell, TableHeaderRow, TableRow } from "@/components/ui/table";
import { UserAvatar } from "@/components/user-avatar";
import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/viewer";
import { listUsers } from "@/lib/users/queries";
import { ActiveForm, RoleForm } from "./_components/user-controls";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage() {
  const viewer = await requirePermission("admin:view");
  const users = await listUsers(getDb());
  const canManage = can(viewer.role, "users:manage");
  // The server refuses these too (lib/users/manage.ts); disabling them just says so up front.
  const reason = (userId: string, self: string) =>
    !canManage ? "Access restricted" : userId === viewer.id ? self : undefined;
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading" className="sr-only">
        Users
      </h2>
      <p className="mb-3 text-sm text-muted-foreground">
        {users.length} users. Role changes and deactivations take effect on the user's next request.
      </p>
      <TableCard>
        <Table aria-label="Users">
          <TableHeaderRow columns={["Name", "Email", "Role", "Team", "Status", "Last seen"]} actions />
          <TableBody>
            {users.map((user) => {
              const row = { id: user.id, name: user.name, role: user.role, active: !user.deactivatedAt };
              return (
                <TableRow key={user.id} data-testid="user-row">
                  <TableCell>
                    <span className="flex items-center gap-2 font-medium">
                      <UserAvatar user={user} className="size-7" />
                      {user.name}
                    </span>
                  </TableCell>
                  <TableCell>{user.email}</TableCell>
                  <TableCell>
                    <RoleForm
                      key={user.role}
                      user={row}
                      disabledReason={reason(user.id, "You cannot change your own role")}
                    />
                  </TableCell>
                  <TableCell>{user.teamName ?? <span className="text-muted-foreground">—</span>}</TableCell>
                  <TableCell>
                    {row.active ? (
                      <Badge variant="success">Active</Badge>
                    ) : (
                      <Badge variant="danger">Deactivated</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {user.lastSeenAt ? (
                      <LocalTime value={user.lastSeenAt} />
                    ) : (
                      <span className="text-muted-foreground">Never</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <ActiveForm
                      key={String(row.active)}
                      user={row}
                      disabledReason={reason(user.id, "You cannot deactivate your own account")}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableCard>
    </section>
  );
}
