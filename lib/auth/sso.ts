import type { UserRole } from "../../db/types.ts";
import type { Env } from "../config/env.ts";

const PRECEDENCE: UserRole[] = ["admin", "supervisor", "agent"];

/**
 * The role a new SSO user gets: the highest role any of their groups maps to (OIDC_ROLE_MAP, read
 * from the OIDC_ROLE_CLAIM claim, a list or a single string), else OIDC_DEFAULT_ROLE.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  env: Pick<Env, "OIDC_ROLE_CLAIM" | "OIDC_ROLE_MAP" | "OIDC_DEFAULT_ROLE">,
): UserRole {
  const raw = claims[env.OIDC_ROLE_CLAIM];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === "string")
    : typeof raw === "string"
      ? [raw]
      : [];
  const mapped = new Set(groups.map((g) => env.OIDC_ROLE_MAP.get(g)).filter(Boolean));
  return PRECEDENCE.find((role) => mapped.has(role)) ?? env.OIDC_DEFAULT_ROLE;
}
