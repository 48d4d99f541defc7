import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSsoUser } from "../../lib/users/queries.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db
    .insertInto("users")
    .values([
      { email: "Known@Example.test", name: "Known", role: "supervisor" },
      { email: "gone@example.test", name: "Gone", role: "agent", deactivated_at: new Date() },
      { email: "linked@example.test", name: "Linked", role: "agent", sso_subject: "other-subject" },
    ])
    .execute();
});
afterAll(() => t.drop());

const identity = (subject: string, verifiedEmail?: string) => ({
  subject,
  verifiedEmail,
  name: "Someone",
  role: "admin" as const,
});

describe("resolveSsoUser", () => {
  it("provisions an unknown identity with the mapped role, then finds it by subject", async () => {
    const first = await resolveSsoUser(t.db, identity("new-1", "new@example.test"));
    expect(first).toMatchObject({ outcome: "provisioned", user: { role: "admin" } });
    const again = await resolveSsoUser(t.db, { ...identity("new-1"), role: "agent" });
    expect(again).toMatchObject({ outcome: "existing", user: { role: "admin" } });
    if (first.outcome !== "refused" && again.outcome !== "refused") expect(again.user.id).toBe(first.user.id);
  });

  it("links an existing user by verified e-mail (case-insensitive) and keeps their role", async () => {
    const linked = await resolveSsoUser(t.db, identity("sub-known", "known@example.test"));
    expect(linked).toMatchObject({ outcome: "linked", user: { role: "supervisor" } });
    const row = await t.db
      .selectFrom("users")
      .select("sso_subject")
      .where("email", "=", "Known@Example.test")
      .executeTakeFirst();
    expect(row?.sso_subject).toBe("sub-known");
  });

  it("refuses deactivated users, takeovers and identities without a verified address", async () => {
    expect(await resolveSsoUser(t.db, identity("sub-gone", "gone@example.test"))).toMatchObject({
      outcome: "refused",
    });
    expect(await resolveSsoUser(t.db, identity("sub-x", "linked@example.test"))).toMatchObject({
      outcome: "refused",
    });
    expect(await resolveSsoUser(t.db, identity("sub-y"))).toMatchObject({ outcome: "refused" });
    const count = await t.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(4);
  });
});
