import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError } from "../../lib/action-error.ts";
import type { Actor } from "../../lib/audit/index.ts";
import { revokeSession, sessionRevoked } from "../../lib/auth/sessions.ts";
import { changeUserRole, setUserActive } from "../../lib/users/manage.ts";
import { getUser } from "../../lib/users/queries.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
let admin: Actor & { id: string };
let agentId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const [a, b] = await t.db
    .insertInto("users")
    .values([
      { email: "admin@example.test", name: "Admin", role: "admin" },
      { email: "agent@example.test", name: "Agent", role: "agent" },
    ])
    .returning("id")
    .execute();
  admin = { kind: "user", id: a?.id ?? "" };
  agentId = b?.id ?? "";
});
afterAll(() => t.drop());

const auditFor = (userId: string) =>
  t.db
    .selectFrom("audit_log")
    .select(["action", "actor_id", "detail", "ip"])
    .where("target_type", "=", "user")
    .where("target_id", "=", userId)
    .orderBy("id")
    .execute();

describe("changeUserRole", () => {
  it("applies to getUser at once and is audited from → to", async () => {
    expect(
      await changeUserRole(t.db, admin, { userId: agentId, role: "supervisor" }, { ip: "10.1.1.1" }),
    ).toBe(true);
    expect((await getUser(t.db, agentId))?.role).toBe("supervisor");
    expect(await auditFor(agentId)).toEqual([
      {
        action: "user.change-role",
        actor_id: admin.id,
        detail: { from: "agent", to: "supervisor" },
        ip: "10.1.1.1",
      },
    ]);
  });

  it("does nothing, and audits nothing, when the role is unchanged", async () => {
    const before = (await auditFor(agentId)).length;
    expect(await changeUserRole(t.db, admin, { userId: agentId, role: "supervisor" })).toBe(false);
    expect(await auditFor(agentId)).toHaveLength(before);
  });

  it("refuses an admin demoting themselves", async () => {
    const attempt = changeUserRole(t.db, admin, { userId: admin.id, role: "agent" });
    await expect(attempt).rejects.toBeInstanceOf(ActionError);
    await expect(attempt).rejects.toThrow("You cannot change your own role");
    expect((await getUser(t.db, admin.id))?.role).toBe("admin");
    expect(await auditFor(admin.id)).toEqual([]);
  });

  it("refuses an unknown user", async () => {
    await expect(
      changeUserRole(t.db, admin, { userId: "00000000-0000-4000-8000-00000000dead", role: "agent" }),
    ).rejects.toBeInstanceOf(ActionError);
  });
});

describe("setUserActive", () => {
  it("deactivates (getUser shows when) and reactivates, each audited", async () => {
    expect(await setUserActive(t.db, admin, { userId: agentId, active: false })).toBe(true);
    expect((await getUser(t.db, agentId))?.deactivatedAt).toBeInstanceOf(Date);
    expect(await setUserActive(t.db, admin, { userId: agentId, active: false })).toBe(false);

    expect(await setUserActive(t.db, admin, { userId: agentId, active: true })).toBe(true);
    expect((await getUser(t.db, agentId))?.deactivatedAt).toBeNull();

    const rows = (await auditFor(agentId)).filter((r) => r.action !== "user.change-role");
    expect(rows.map((r) => [r.action, r.detail])).toEqual([
      ["user.deactivate", { from: "active", to: "deactivated" }],
      ["user.reactivate", { from: "deactivated", to: "active" }],
    ]);
  });

  it("refuses an admin deactivating themselves", async () => {
    await expect(setUserActive(t.db, admin, { userId: admin.id, active: false })).rejects.toThrow(
      "You cannot deactivate your own account",
    );
    expect((await getUser(t.db, admin.id))?.deactivatedAt).toBeNull();
  });
});

describe("ending sessions", () => {
  it("a role change and a deactivation bump the session version every token is checked against", async () => {
    const version = async () => (await getUser(t.db, agentId))?.sessionVersion ?? -1;
    const start = await version();
    const role = (await getUser(t.db, agentId))?.role === "agent" ? "supervisor" : "agent";
    await changeUserRole(t.db, admin, { userId: agentId, role });
    expect(await version()).toBe(start + 1);
    await setUserActive(t.db, admin, { userId: agentId, active: false });
    expect(await version()).toBe(start + 2);
    await setUserActive(t.db, admin, { userId: agentId, active: true });
    expect(await version()).toBe(start + 2);
  });

  it("a sign-out revokes its own session id until the token would have expired", async () => {
    const sessionId = "6b1d1f52-8a51-4d43-9d3e-2f6a7c1e0b01";
    expect(await sessionRevoked(t.db, sessionId)).toBe(false);
    await revokeSession(t.db, sessionId, new Date(Date.now() + 3600_000));
    await revokeSession(t.db, sessionId, new Date(Date.now() + 3600_000)); // signed out twice
    expect(await sessionRevoked(t.db, sessionId)).toBe(true);
    expect(await sessionRevoked(t.db, "6b1d1f52-8a51-4d43-9d3e-2f6a7c1e0b02")).toBe(false);
  });
});
