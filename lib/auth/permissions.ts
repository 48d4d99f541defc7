import type { UserRole } from "../../db/types.ts";

export type Role = UserRole;

export const ROLES = ["admin", "supervisor", "agent"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  supervisor: "Supervisor",
  agent: "Agent",
};

// Every permission Parley checks. Reading data is additionally narrowed by lib/auth/scope.ts:
// "conversations:read" alone means "the conversations I joined"; "conversations:read-all" widens it.
export const PERMISSIONS = [
  "conversations:read",
  "conversations:read-all",
  "conversations:export",
  "recordings:read",
  "recordings:hold",
  "dispositions:edit",
  // The Access section of a conversation: who viewed, played, downloaded or exported it.
  "conversations:access-log",
  "monitor:view",
  "monitor:intervene",
  "admin:view",
  "users:manage",
  "settings:manage",
  // Edit and delete saved filters other people shared (everyone manages their own).
  "filters:manage-any",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  supervisor: [
    "conversations:read",
    "conversations:read-all",
    "conversations:export",
    "recordings:read",
    "recordings:hold", // legal hold: retention never deletes a held recording
    "dispositions:edit",
    "conversations:access-log",
    "monitor:view",
    "monitor:intervene",
  ],
  // Agents see, export and play back only the conversations they took part in (scope), and watch
  // their own live ones on Monitor.
  agent: ["conversations:read", "conversations:export", "recordings:read", "monitor:view"],
};

const table = new Map(ROLES.map((role) => [role, new Set(GRANTS[role])]));

export function can(role: Role, permission: Permission): boolean {
  return table.get(role)?.has(permission) ?? false;
}

/** On hover over every inactive export and download control, and the server's refusal (export-access.ts). */
export const EXPORT_RESTRICTED =
  "Access restricted: you do not have permission to export or download conversations.";
