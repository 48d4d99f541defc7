import type { Database } from "../../db/client.ts";
import { readSettings, type Settings } from "../settings/index.ts";
import { can } from "./permissions.ts";
import type { UserViewer } from "./scope.ts";

// The admin's export and download switch next to the role table: part of who may do what, so the
// route wrapper (./route.ts) applies it without reaching into lib/exports.

/**
 * Whether the viewer may export and download at all (the buttons are inactive otherwise): their role
 * must grant it, and for agents an admin can withhold it (Admin → Settings).
 */
export function canExport(viewer: UserViewer, settings: Pick<Settings, "agent_exports_enabled">): boolean {
  if (!can(viewer.role, "conversations:export")) return false;
  return viewer.role !== "agent" || settings.agent_exports_enabled;
}

/** canExport with the settings as they are now. */
export async function exportAllowed(db: Database, viewer: UserViewer): Promise<boolean> {
  return canExport(viewer, await readSettings(db));
}
