import type { Database } from "../../db/client.ts";
import type { UserRole } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";

// Admin changes to accounts. Both take effect on the user's next request: the role and deactivation
// are read from the database on every request (lib/auth/viewer.ts), never from the session.
// An admin may not demote or deactivate themselves, which also means there is always an active admin.

async function lockUser(trx: Database, userId: string) {
  const user = await trx
    .selectFrom("users")
    .select(["id", "role", "deactivated_at"])
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new ActionError("That user no longer exists.");
  return user;
}

/** Ends every session the user has: their tokens carry an older session version from now on. */
export async function endSessions(db: Database, userId: string): Promise<void> {
  await db
    .updateTable("users")
    .set((eb) => ({ session_version: eb("session_version", "+", 1) }))
    .where("id", "=", userId)
    .execute();
}

const isSelf = (actor: Actor, userId: string) => actor.kind === "user" && actor.id === userId;

/** Sets a user's role, audited from → to. Returns false when the role was already that. */
export async function changeUserRole(
  db: Database,
  actor: Actor,
  input: { userId: string; role: UserRole },
  context: RequestContext = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const user = await lockUser(trx, input.userId);
    if (user.role === input.role) return false;
    if (isSelf(actor, user.id)) {
      throw new ActionError("You cannot change your own role. Ask another admin to do it.");
    }
    await trx.updateTable("users").set({ role: input.role }).where("id", "=", user.id).execute();
    await endSessions(trx, user.id); // they sign in again, under the new role
    await recordAudit(trx, {
      actor,
      action: "user.change-role",
      target: { type: "user", id: user.id },
      detail: { from: user.role, to: input.role },
      context,
    });
    return true;
  });
}

/**
 * Deactivates (signs out at once, refuses sign-in) or reactivates a user, audited from → to.
 * Returns false when the user already was in that state.
 */
export async function setUserActive(
  db: Database,
  actor: Actor,
  input: { userId: string; active: boolean },
  context: RequestContext = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const user = await lockUser(trx, input.userId);
    const active = user.deactivated_at === null;
    if (active === input.active) return false;
    if (isSelf(actor, user.id)) throw new ActionError("You cannot deactivate your own account.");
    await trx
      .updateTable("users")
      .set({ deactivated_at: input.active ? null : new Date() })
      .where("id", "=", user.id)
      .execute();
    if (!input.active) await endSessions(trx, user.id);
    const state = (isActive: boolean) => (isActive ? "active" : "deactivated");
    await recordAudit(trx, {
      actor,
      action: input.active ? "user.reactivate" : "user.deactivate",
      target: { type: "user", id: user.id },
      detail: { from: state(active), to: state(input.active) },
      context,
    });
    return true;
  });
}
