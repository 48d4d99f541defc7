import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey, verifyApiKey } from "../../lib/api-keys/index.ts";
import { type Actor, recordAudit } from "../../lib/audit/index.ts";
import { defaultSettings, readSettings, updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
let admin: Actor;
beforeAll(async () => {
  t = await createTestDatabase();
  const user = await t.db
    .insertInto("users")
    .values({ email: "root@example.test", name: "Root", role: "admin" })
    .returning("id")
    .executeTakeFirstOrThrow();
  admin = { kind: "user", id: user.id };
});
afterAll(() => t.drop());

const auditRows = (action: string) =>
  t.db.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("id").execute();

describe("settings", () => {
  it("start from the defaults", async () => {
    expect(await readSettings(t.db)).toEqual(defaultSettings);
  });

  it("save only changed keys, each with an audit row from → to", async () => {
    const changed = await updateSettings(
      t.db,
      admin,
      { obscure_customer_info: true, time_display_format: "timestamp", recording_retention_days: 30 },
      { ip: "10.0.0.7", userAgent: "vitest" },
    );
    expect(changed.sort()).toEqual(["obscure_customer_info", "recording_retention_days"]);
    const settings = await readSettings(t.db);
    expect(settings.obscure_customer_info).toBe(true);
    expect(settings.recording_retention_days).toBe(30);
    const rows = await auditRows("settings.update");
    expect(rows.map((r) => [r.target_id, r.detail])).toEqual([
      ["obscure_customer_info", { from: false, to: true }],
      ["recording_retention_days", { from: 90, to: 30 }],
    ]);
    expect(rows[0]?.actor_id).toBe(admin.id);
    expect(rows[0]?.ip).toBe("10.0.0.7");
  });

  it("refuse invalid values and unknown keys, changing nothing", async () => {
    const before = await auditRows("settings.update");
    await expect(updateSettings(t.db, admin, { recording_retention_days: 0 })).rejects.toThrow();
    await expect(updateSettings(t.db, admin, { colour: "red" })).rejects.toThrow();
    await expect(
      updateSettings(t.db, admin, {
        recording_deletion_emails: { enabled: true, recipients: ["not-an-email"] },
      }),
    ).rejects.toThrow();
    expect((await readSettings(t.db)).recording_retention_days).toBe(30);
    expect(await auditRows("settings.update")).toHaveLength(before.length);
  });
});

describe("audit log", () => {
  it("is append-only", async () => {
    await recordAudit(t.db, { actor: admin, action: "test.append", context: { ip: "not an ip" } });
    await expect(sql`update audit_log set action = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    expect((await auditRows("test.append"))[0]?.ip).toBeNull();
  });
});

describe("API keys", () => {
  it("are stored hashed, verified, scoped and revocable, with audit rows", async () => {
    const key = await createApiKey(t.db, admin, { name: "gateway", scopes: ["write"] });
    expect(key.token).toMatch(/^prly_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", key.id)
      .executeTakeFirstOrThrow();
    // The secret after the prefix (it may itself contain "_": split would cut it short).
    expect(JSON.stringify(stored)).not.toContain(key.token.slice(key.prefix.length + 1));

    const verified = await verifyApiKey(t.db, key.token);
    expect(verified).toMatchObject({ id: key.id, scopes: ["write"] });
    const used = await t.db
      .selectFrom("api_keys")
      .select("last_used_at")
      .where("id", "=", key.id)
      .executeTakeFirst();
    expect(used?.last_used_at).toBeInstanceOf(Date);

    const last = key.token.at(-1) === "A" ? "B" : "A"; // a different last character, whatever it was
    expect(await verifyApiKey(t.db, `${key.token.slice(0, -1)}${last}`)).toBeNull();
    expect(await verifyApiKey(t.db, "Bearer nonsense")).toBeNull();

    expect(await revokeApiKey(t.db, admin, key.id)).toBe(true);
    expect(await revokeApiKey(t.db, admin, key.id)).toBe(false);
    expect(await verifyApiKey(t.db, key.token)).toBeNull();
    expect((await auditRows("api-key.create")).length).toBe(1);
    expect((await auditRows("api-key.revoke")).length).toBe(1);
  });

  it("refuse a key without a name or scope", async () => {
    await expect(createApiKey(t.db, admin, { name: " ", scopes: ["read"] })).rejects.toThrow();
    await expect(createApiKey(t.db, admin, { name: "x", scopes: [] })).rejects.toThrow();
    await expect(createApiKey(t.db, admin, { name: "x", scopes: ["admin"] })).rejects.toThrow();
  });
});
