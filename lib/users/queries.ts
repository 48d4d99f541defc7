import type { Database } from "../../db/client.ts";
import type { UserRole } from "../../db/types.ts";

export type UserSummary = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  teamName: string | null;
  avatarUpdatedAt: Date | null;
  deactivatedAt: Date | null;
  lastSeenAt: Date | null;
};

export type UserAccount = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  avatar64Key: string | null;
  avatar128Key: string | null;
  avatarUpdatedAt: Date | null;
  deactivatedAt: Date | null;
  /** Bumped to end every session of the user (lib/users/manage.ts endSessions). */
  sessionVersion: number;
  /** IANA zone every time is shown in; null until detected at sign-in (lib/auth/viewer.ts). */
  timeZone: string | null;
  /** Conversations columns the user chose to see; null: every column. */
  listColumns: string[] | null;
  listDensity: "compact" | "comfortable" | null;
};

/** One user's account row (including deactivated users), or null. */
export async function getUser(db: Database, id: string): Promise<UserAccount | null> {
  const row = await db
    .selectFrom("users")
    .select([
      "id",
      "name",
      "email",
      "role",
      "avatar_64_key as avatar64Key",
      "avatar_128_key as avatar128Key",
      "avatar_updated_at as avatarUpdatedAt",
      "deactivated_at as deactivatedAt",
      "session_version as sessionVersion",
      "time_zone as timeZone",
      "list_columns as listColumns",
      "list_density as listDensity",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    listDensity: row.listDensity === "compact" || row.listDensity === "comfortable" ? row.listDensity : null,
  };
}

/** Users ordered by role (admin, supervisor, agent) then name; `active` leaves deactivated users out. */
export async function listUsers(db: Database, opts: { active?: boolean } = {}): Promise<UserSummary[]> {
  let query = db
    .selectFrom("users")
    .leftJoin("teams", "teams.id", "users.team_id")
    .select([
      "users.id",
      "users.name",
      "users.email",
      "users.role",
      "teams.name as teamName",
      "users.avatar_updated_at as avatarUpdatedAt",
      "users.deactivated_at as deactivatedAt",
      "users.last_seen_at as lastSeenAt",
    ])
    .orderBy("users.role") // enum order: admin, supervisor, agent
    .orderBy("users.name")
    .orderBy("users.id");
  if (opts.active) query = query.where("users.deactivated_at", "is", null);
  return query.execute();
}

export type SsoIdentity = {
  subject: string;
  /** Only when the identity provider says the address is verified. */
  verifiedEmail?: string;
  name: string;
  role: UserRole; // from the provider's groups (lib/auth/sso.ts), used only when provisioning
};

export type SsoResolution =
  | { outcome: "existing" | "linked" | "provisioned"; user: { id: string; role: UserRole } }
  | { outcome: "refused"; reason: string };

/**
 * The Parley user an SSO identity signs in as: matched by subject, else linked by a verified e-mail
 * address (an account already linked to another subject is never taken over), else provisioned with
 * the mapped role. After that the role is Parley's to manage (admins change it in the UI).
 */
export async function resolveSsoUser(db: Database, identity: SsoIdentity): Promise<SsoResolution> {
  return db.transaction().execute(async (trx) => {
    const bySubject = await trx
      .selectFrom("users")
      .select(["id", "role", "deactivated_at"])
      .where("sso_subject", "=", identity.subject)
      .executeTakeFirst();
    if (bySubject) {
      return bySubject.deactivated_at
        ? { outcome: "refused", reason: "deactivated" }
        : { outcome: "existing", user: { id: bySubject.id, role: bySubject.role } };
    }
    if (!identity.verifiedEmail) return { outcome: "refused", reason: "no verified e-mail address" };
    const byEmail = await trx
      .selectFrom("users")
      .select(["id", "role", "deactivated_at", "sso_subject"])
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", identity.verifiedEmail?.toLowerCase() ?? ""))
      .forUpdate()
      .executeTakeFirst();
    if (byEmail) {
      if (byEmail.deactivated_at) return { outcome: "refused", reason: "deactivated" };
      if (byEmail.sso_subject) return { outcome: "refused", reason: "e-mail linked to another SSO identity" };
      await trx
        .updateTable("users")
        .set({ sso_subject: identity.subject })
        .where("id", "=", byEmail.id)
        .execute();
      return { outcome: "linked", user: { id: byEmail.id, role: byEmail.role } };
    }
    const created = await trx
      .insertInto("users")
      .values({
        email: identity.verifiedEmail,
        name: identity.name,
        role: identity.role,
        sso_subject: identity.subject,
      })
      .returning(["id", "role"])
      .executeTakeFirstOrThrow();
    return { outcome: "provisioned", user: created };
  });
}
