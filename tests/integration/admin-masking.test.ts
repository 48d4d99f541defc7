import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../lib/audit/index.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// "Obscure customer info": customer phone and e-mail never leave the server while it is on.
const PHONE = "+14155550123";
const EMAIL = "jane.doe@example.test";

let t: TestDatabase;
let admin: Actor & { id: string };
beforeAll(async () => {
  t = await createTestDatabase();
  const user = await t.db
    .insertInto("users")
    .values({ email: "admin@example.test", name: "Admin", role: "admin" })
    .returning("id")
    .executeTakeFirstOrThrow();
  admin = { kind: "user", id: user.id };
  const customer = await t.db
    .insertInto("customers")
    .values({ user_ref: "usr_jane01", name: "Jane Doe", phone: PHONE, email: EMAIL })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("conversations")
    .values({
      session_id: "s-1",
      customer_id: customer.id,
      channel: "voice",
      direction: "inbound",
      language: "en-US",
      started_at: new Date("2026-11-20T10:00:00Z"),
    })
    .execute();
});
afterAll(() => t.drop());

const list = async () => (await listConversations(t.db, { id: admin.id, role: "admin" })).items;

describe("customer contact masking in the conversation list", () => {
  it("shows phone and e-mail while the setting is off", async () => {
    const [row] = await list();
    expect(row?.customer).toEqual({
      name: "Jane Doe",
      userRef: "usr_jane01",
      phone: PHONE,
      email: EMAIL,
      obscured: false,
    });
  });

  it("returns neither, only the User ID, once the setting is on", async () => {
    await updateSettings(t.db, admin, { obscure_customer_info: true });
    const rows = await list();
    const json = JSON.stringify(rows);
    expect(json).not.toContain(PHONE);
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain("jane.doe");
    expect(rows[0]?.customer).toEqual({
      name: "Jane Doe",
      userRef: "usr_jane01",
      phone: null,
      email: null,
      obscured: true,
    });
  });
});
