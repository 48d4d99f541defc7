import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("migrations", () => {
  it("create the domain model with the list's indexes", async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public'`.execute(t.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const table of ["users", "conversations", "messages", "recordings", "audit_log", "api_keys"]) {
      expect(names).toContain(table);
    }
    const idx = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename = 'conversations'`.execute(t.db);
    expect(idx.rows.map((r) => r.indexname)).toContain("conversations_started_idx");
  });

  it("refuse values outside the enumerations", async () => {
    await expect(
      sql`insert into conversations (session_id, direction, language, channel, started_at)
          values ('s1', 'inbound', 'en-US', 'fax', now())`.execute(t.db),
    ).rejects.toThrow(/invalid input value for enum channel/);
  });
});
