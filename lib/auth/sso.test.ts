import { describe, expect, it } from "vitest";
import { readEnv } from "../config/env.ts";
import { roleFromClaims } from "./sso.ts";

const env = readEnv({
  OIDC_ROLE_MAP: "ops-admins=admin, team-leads=supervisor,staff=agent",
  OIDC_DEFAULT_ROLE: "agent",
});

describe("roleFromClaims", () => {
  it("maps groups to the highest role they grant", () => {
    expect(roleFromClaims({ groups: ["staff", "team-leads"] }, env)).toBe("supervisor");
    expect(roleFromClaims({ groups: ["ops-admins", "staff"] }, env)).toBe("admin");
    expect(roleFromClaims({ groups: "team-leads" }, env)).toBe("supervisor");
  });

  it("falls back to the default role", () => {
    expect(roleFromClaims({ groups: ["unknown"] }, env)).toBe("agent");
    expect(roleFromClaims({}, env)).toBe("agent");
    expect(roleFromClaims({ groups: [42, null] }, readEnv({ OIDC_DEFAULT_ROLE: "supervisor" }))).toBe(
      "supervisor",
    );
  });

  it("reads the configured claim", () => {
    const custom = readEnv({ OIDC_ROLE_CLAIM: "roles", OIDC_ROLE_MAP: "x=admin" });
    expect(roleFromClaims({ roles: ["x"], groups: [] }, custom)).toBe("admin");
  });

  it("refuses a malformed map", () => {
    expect(() => readEnv({ OIDC_ROLE_MAP: "a=root" })).toThrow(/OIDC_ROLE_MAP/);
  });
});
