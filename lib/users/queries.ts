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
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  return row ?? null;
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

/**
 * The active user an SSO identity belongs to: by the IdP subject first, else by a verified e-mail
 * address (callers pass `email` only when the IdP says it is verified). Provisioning unknown users
 * is a later feature; until then they are refused.
 */
export async function findUserForSso(
  db: Database,
  identity: { subject: string; email?: string },
): Promise<{ id: string } | null> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("deactivated_at", "is", null)
    .where((eb) =>
      identity.email
        ? eb.or([
            eb("sso_subject", "=", identity.subject),
            eb(eb.fn("lower", ["email"]), "=", identity.email.toLowerCase()),
          ])
        : eb("sso_subject", "=", identity.subject),
    )
    // A subject match wins over an e-mail match.
    .orderBy((eb) => eb.case().when("sso_subject", "=", identity.subject).then(0).else(1).end())
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
