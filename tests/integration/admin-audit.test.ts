import { type RawBuilder, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCsv } from "../../lib/audit/csv.ts";
import { type Actor, recordAudit, systemActor } from "../../lib/audit/index.ts";
import {
  auditLogQuery,
  auditSearchParams,
  distinctAuditValues,
  listAuditFacets,
  listAuditLog,
  parseAuditSearch,
} from "../../lib/audit/query.ts";
import { csvCell, csvLine } from "../../lib/files/csv.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let t: TestDatabase;
let ada: Actor;
let bob: Actor;
beforeAll(async () => {
  t = await createTestDatabase();
  const [a, b] = await t.db
    .insertInto("users")
    .values([
      { email: "ada@example.test", name: "Ada", role: "admin" },
      // A display name from an identity provider is outside text: it must not become a formula.
      { email: "bob@example.test", name: '=HYPERLINK("http://evil","Bob")', role: "admin" },
    ])
    .returning("id")
    .execute();
  ada = { kind: "user", id: a?.id ?? null };
  bob = { kind: "user", id: b?.id ?? null };
  // 30 rows: alternating actors, three actions, on two UTC days.
  for (let i = 0; i < 30; i++) {
    await recordAudit(t.db, {
      actor: i % 2 === 0 ? ada : bob,
      action: ["settings.update", "user.change-role", "api-key.create"][i % 3] ?? "",
      target: { type: i % 3 === 0 ? "setting" : "user", id: `t${i}` },
      detail: { i, note: i === 29 ? 'say "hi", then\nleave' : "-1" },
    });
  }
  await recordAudit(t.db, {
    actor: systemActor,
    action: "user.deactivate",
    target: { type: "user", id: ada.id ?? "" },
  });
  await t.db
    .insertInto("audit_log")
    .values({ actor_kind: "system", action: "old.event", created_at: new Date("2026-01-01T23:59:59Z") })
    .execute();
});
afterAll(() => t.drop());

describe("parseAuditSearch", () => {
  it("keeps valid values and drops invalid ones without failing", () => {
    expect(
      parseAuditSearch({
        action: "user.change-role",
        actor: "not-a-uuid",
        target: ["user", "setting"],
        from: "2026-02-30",
        to: "2026-11-25",
        before: "-5",
        extra: "ignored",
      }),
    ).toEqual({ action: "user.change-role", to: "2026-11-25" });
    expect(parseAuditSearch({ action: "", before: "42" })).toEqual({ before: "42" });
  });

  it("round-trips through the URL", () => {
    const search = { action: "settings.update", from: "2026-11-01", before: "42" };
    const params = auditSearchParams(search);
    expect(params.toString()).toBe("action=settings.update&from=2026-11-01&before=42");
    expect(parseAuditSearch(params)).toEqual(search);
  });
});

describe("listAuditLog", () => {
  it("pages newest first by id, without gaps or repeats", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await listAuditLog(t.db, { before }, 7);
      expect(page.rows.length).toBeLessThanOrEqual(7);
      seen.push(...page.rows.map((r) => r.id));
      before = page.nextCursor ?? undefined;
    } while (before);
    expect(seen).toHaveLength(32);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((x, y) => y - x));
    expect(new Set(seen).size).toBe(32);
  });

  it("filters by action, actor, target type and UTC date range, with the actor's name", async () => {
    const byAction = await listAuditLog(t.db, { action: "user.change-role" });
    expect(byAction.rows).toHaveLength(10);
    expect(byAction.rows.every((r) => r.action === "user.change-role")).toBe(true);

    const byActor = await listAuditLog(t.db, { actor: ada.id ?? "", target: "setting" });
    expect(byActor.rows.map((r) => Number(r.targetId?.slice(1)))).toEqual([24, 18, 12, 6, 0]);
    expect(byActor.rows[0]?.actorName).toBe("Ada");

    const [deactivation] = (await listAuditLog(t.db, { action: "user.deactivate" })).rows;
    expect(deactivation).toMatchObject({ actorKind: "system", actorName: null, targetName: "Ada" });

    const onDay = await listAuditLog(t.db, { from: "2026-01-01", to: "2026-01-01" });
    expect(onDay.rows.map((r) => r.action)).toEqual(["old.event"]);
    const since = await listAuditLog(t.db, { from: "2026-01-02" }, 100);
    expect(since.rows).toHaveLength(31);

    const combined = await listAuditLog(t.db, { action: "settings.update", actor: bob.id ?? "" }, 2);
    expect(combined.rows.map((r) => r.detail)).toEqual([
      { i: 27, note: "-1" },
      { i: 21, note: "-1" },
    ]);
    const next = await listAuditLog(
      t.db,
      { action: "settings.update", actor: bob.id ?? "", before: combined.nextCursor ?? "" },
      2,
    );
    expect(next.rows.map((r) => (r.detail as { i: number }).i)).toEqual([15, 9]);
  });

  it("lists the actions and target types for the filter menus", async () => {
    expect(await listAuditFacets(t.db)).toEqual({
      actions: ["api-key.create", "old.event", "settings.update", "user.change-role", "user.deactivate"],
      targetTypes: ["setting", "user"],
    });
  });
});

// Each filter is one range of its index, in the page's order: no walk of the whole log, no sort.
// Sequential scans and sorts are made expensive, not forbidden: a plan that still holds one means
// no index serves the query.
describe("audit log query plans", () => {
  type PlanNode = {
    "Node Type": string;
    "Relation Name"?: string;
    "Index Name"?: string;
    Plans?: PlanNode[];
  };
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
  async function plan(statement: {
    compile: (db: never) => { sql: string; parameters: readonly unknown[] };
  }) {
    return t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_sort = off`.execute(trx);
      const query = statement.compile(trx as never);
      const { rows } = await trx.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>({
        ...query,
        sql: `explain (format json) ${query.sql}`,
      } as never);
      return nodes(rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode);
    });
  }
  // (The names come from the staff tables, a few rows each.)
  const badNodes = (p: PlanNode[]) =>
    p.filter(
      (n) =>
        (n["Node Type"] === "Seq Scan" && n["Relation Name"] === "audit_log") || n["Node Type"] === "Sort",
    );

  it.each([
    ["action", "audit_log_action_idx", { action: "user.change-role" }],
    ["actor", "audit_log_actor_idx", { actor: "00000000-0000-4000-8000-000000000000" }],
    ["target type", "audit_log_target_type_idx", { target: "setting", before: "20" }],
    ["conversation", "audit_log_conversation_idx", { conversation: "00000000-0000-4000-8000-000000000000" }],
  ] as const)("a page filtered by %s reads %s", async (_name, index, search) => {
    const p = await plan(auditLogQuery(t.db, search, 50));
    expect(p.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
    expect(badNodes(p)).toEqual([]);
  });

  it.each([
    ["action", "audit_log_action_idx"],
    ["target_type", "audit_log_target_type_idx"],
  ] as const)("the %s menu skips through %s", async (column, index) => {
    const statement: RawBuilder<unknown> = distinctAuditValues(column);
    const p = await plan(statement);
    expect(p.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
    expect(badNodes(p)).toEqual([]);
  });
});

describe("audit CSV", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    for (const formula of ["=1+1", "+A1", "-SUM(A1)", "@SUM(A1)", "\tx", "\rx"]) {
      expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
    }
    // A phone number is not a formula (lib/files/csv.test.ts has the rules).
    expect(csvCell("+13125550100")).toBe("+13125550100");
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(new Date("2026-11-25T10:00:00Z"))).toBe("2026-11-25T10:00:00.000Z");
    expect(csvLine(["a", null, 3])).toBe("a,,3\r\n");
  });

  it("streams every matching row (across batches) with a header", async () => {
    let csv = "";
    for await (const line of auditCsv(t.db, { actor: bob.id ?? "" }, 4)) csv += line;
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "\uFEFFid,time_utc,actor_kind,actor_id,actor_name,action,target_type,target_id,target_name,detail,ip,user_agent",
    );
    expect(lines).toHaveLength(1 + 15);
    // Bob's name is defused, and the multi-line detail stays in one quoted cell.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""Bob"")"`);
    expect(csv).toContain('"{""i"":29,""note"":""say \\""hi\\"", then\\nleave""}"');
    expect(csv).not.toMatch(/(^|,)[=+\-@]/m);
  });
});
