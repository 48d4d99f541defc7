import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createSavedFilterAction,
  deleteSavedFilterAction,
  duplicateSavedFilterAction,
  setDefaultFilterAction,
  updateSavedFilterAction,
} from "../../app/(app)/conversations/_components/filters/actions.ts";
import { type ActionDefinition, type ActionResult, runAction } from "../../lib/auth/action.ts";
import type { Role } from "../../lib/auth/permissions.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import {
  FILTER_EMPTY,
  FILTER_GONE,
  FILTER_NOT_YOURS,
  getDefaultFilter,
  listSavedFilters,
  nameTaken,
} from "../../lib/conversations/saved-filters.ts";
import { TAG_CLAUSE_LIMIT_MESSAGE } from "../../lib/list-params.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertViewer } from "../helpers/users.ts";

// Saved filters through the real server actions (zod input, permission, handler): the clause limit
// on the server, names, private vs shared, owner-or-admin changes, and each user's own default.

let t: TestDatabase;
const people = {} as Record<"ann" | "bob" | "ada", Viewer>;

beforeAll(async () => {
  t = await createTestDatabase();
  const make = async (key: keyof typeof people, role: Role) => {
    people[key] = await insertViewer(t.db, { email: `${key}@sf.test`, name: key.toUpperCase(), role });
  };
  await make("ann", "agent");
  await make("bob", "supervisor");
  await make("ada", "admin");
});
beforeEach(async () => {
  await t.db.deleteFrom("saved_filters").execute();
});
afterAll(() => t.drop());

// biome-ignore lint/suspicious/noExplicitAny: any action definition
type Action = { definition: ActionDefinition<any, any> };
async function act<T>(action: Action, who: Viewer, input: unknown): Promise<ActionResult<T>> {
  return runAction(action.definition, input, {
    getViewer: async () => who,
    getDb: () => t.db,
    requestContext: async () => ({}),
  });
}

const clause = (value: string) => ["tier", "contains", value];
const tags = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => clause(`v${i}`)));

async function create(who: Viewer, name: string, visibility: "private" | "shared" = "private") {
  const result = await act<{ id: string }>(createSavedFilterAction, who, {
    name,
    visibility,
    filter: { status: "completed", tags: tags(1) },
  });
  if (!result.ok) throw new Error(result.error);
  return result.data.id;
}

const names = async (who: Viewer) => (await listSavedFilters(t.db, who)).map((f) => f.name);

describe("saving a filter", () => {
  it("stores the filter fields and reads them back parsed", async () => {
    await create(people.ann, "Gold, completed");
    const [saved] = await listSavedFilters(t.db, people.ann);
    expect(saved).toMatchObject({
      name: "Gold, completed",
      visibility: "private",
      ownerName: "ANN",
      isDefault: false,
      canManage: true,
      filter: { status: ["completed"], tags: [{ name: "tier", op: "contains", value: "v0" }] },
    });
  });

  it("refuses a 6th custom-tag clause on the server, with the spec's message, and stores nothing", async () => {
    const six = await act(createSavedFilterAction, people.ann, {
      name: "Too many",
      visibility: "private",
      filter: { tags: tags(6) },
    });
    expect(six).toMatchObject({ ok: false, fieldErrors: { filter: TAG_CLAUSE_LIMIT_MESSAGE } });
    const five = await act(createSavedFilterAction, people.ann, {
      name: "Five",
      visibility: "private",
      filter: { tags: tags(5) },
    });
    expect(five.ok).toBe(true);
    expect(await names(people.ann)).toEqual(["Five"]);
  });

  it("refuses an empty filter, a blank or taken name, unknown fields and invalid values", async () => {
    const save = (input: object) =>
      act(createSavedFilterAction, people.ann, { name: "X", visibility: "private", ...input });
    expect(await save({ filter: {} })).toEqual({ ok: false, error: FILTER_EMPTY });
    expect(await save({ name: "  ", filter: { status: "error" } })).toMatchObject({
      ok: false,
      fieldErrors: { name: "Enter a name for the filter." },
    });
    expect(await save({ filter: { sort: "oldest" } })).toMatchObject({ ok: false });
    expect(await save({ filter: { status: "nope" } })).toMatchObject({ ok: false });
    await create(people.ann, "Mine");
    expect(await save({ name: "Mine", filter: { status: "error" } })).toEqual({
      ok: false,
      error: nameTaken("Mine"),
    });
    // Names are per owner: someone else may use the same one.
    await create(people.bob, "Mine");
  });
});

describe("private and shared filters", () => {
  it("a private filter is seen by its owner only; a shared one by everyone, with its owner", async () => {
    await create(people.ann, "Ann private");
    const shared = await create(people.ann, "Ann shared", "shared");
    expect(await names(people.ann)).toEqual(["Ann private", "Ann shared"]);
    expect(await names(people.bob)).toEqual(["Ann shared"]);
    expect(await names(people.ada)).toEqual(["Ann shared"]);
    const [seenByBob] = await listSavedFilters(t.db, people.bob);
    expect(seenByBob).toMatchObject({ id: shared, ownerName: "ANN", canManage: false });
    const [seenByAda] = await listSavedFilters(t.db, people.ada);
    expect(seenByAda?.canManage).toBe(true);
  });

  it("only the owner or an admin edits or deletes a shared filter; admins' changes are audited", async () => {
    const id = await create(people.ann, "Team view", "shared");
    const edit = (who: Viewer, name: string) =>
      act(updateSavedFilterAction, who, { id, name, visibility: "shared", filter: { channel: "chat" } });
    expect(await edit(people.bob, "Bob's now")).toEqual({ ok: false, error: FILTER_NOT_YOURS });
    expect(await act(deleteSavedFilterAction, people.bob, { id })).toEqual({
      ok: false,
      error: FILTER_NOT_YOURS,
    });
    expect(await names(people.ann)).toEqual(["Team view"]);

    expect((await edit(people.ada, "Renamed by admin")).ok).toBe(true);
    const [after] = await listSavedFilters(t.db, people.ann);
    expect(after).toMatchObject({
      name: "Renamed by admin",
      ownerId: people.ann.id,
      filter: { channel: ["chat"] },
    });
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "target_id"])
      .where("target_id", "=", id)
      .execute();
    expect(audit).toContainEqual({ action: "saved-filter.update", actor_id: people.ada.id, target_id: id });

    expect((await act(deleteSavedFilterAction, people.ada, { id })).ok).toBe(true);
    expect(await names(people.ann)).toEqual([]);
  });

  it("someone else's private filter does not exist for anyone else, admins included", async () => {
    const id = await create(people.ann, "Secret");
    for (const who of [people.bob, people.ada]) {
      expect(await act(deleteSavedFilterAction, who, { id })).toEqual({ ok: false, error: FILTER_GONE });
      expect(await act(duplicateSavedFilterAction, who, { id, name: "Copy" })).toEqual({
        ok: false,
        error: FILTER_GONE,
      });
      expect(await act(setDefaultFilterAction, who, { id })).toEqual({ ok: false, error: FILTER_GONE });
    }
    expect(await names(people.ann)).toEqual(["Secret"]);
  });

  it("duplicating makes a private copy owned by whoever duplicated it", async () => {
    const id = await create(people.ann, "Shared original", "shared");
    const copy = await act<{ id: string }>(duplicateSavedFilterAction, people.bob, { id, name: "My copy" });
    expect(copy.ok).toBe(true);
    expect(await names(people.bob)).toEqual(["My copy", "Shared original"]);
    const mine = (await listSavedFilters(t.db, people.bob)).find((f) => f.name === "My copy");
    expect(mine).toMatchObject({ ownerId: people.bob.id, visibility: "private", canManage: true });
    expect(mine?.filter).toEqual((await listSavedFilters(t.db, people.ann))[0]?.filter);
    expect(await act(duplicateSavedFilterAction, people.bob, { id, name: "My copy" })).toEqual({
      ok: false,
      error: nameTaken("My copy"),
    });
  });
});

describe("default filter", () => {
  it("is per user, and replaced or removed by that user only", async () => {
    const annFilter = await create(people.ann, "Ann default", "shared");
    const bobFilter = await create(people.bob, "Bob default");
    expect(await getDefaultFilter(t.db, people.ann)).toBeNull();
    expect((await act(setDefaultFilterAction, people.ann, { id: annFilter })).ok).toBe(true);
    expect((await act(setDefaultFilterAction, people.bob, { id: bobFilter })).ok).toBe(true);
    expect((await getDefaultFilter(t.db, people.ann))?.name).toBe("Ann default");
    expect((await getDefaultFilter(t.db, people.bob))?.name).toBe("Bob default");
    // A colleague's shared filter may be someone's default too.
    expect((await act(setDefaultFilterAction, people.bob, { id: annFilter })).ok).toBe(true);
    expect((await getDefaultFilter(t.db, people.bob))?.name).toBe("Ann default");
    expect((await listSavedFilters(t.db, people.bob)).filter((f) => f.isDefault).map((f) => f.name)).toEqual([
      "Ann default",
    ]);
    expect((await act(setDefaultFilterAction, people.bob, { id: null })).ok).toBe(true);
    expect(await getDefaultFilter(t.db, people.bob)).toBeNull();
    expect((await getDefaultFilter(t.db, people.ann))?.name).toBe("Ann default");
  });

  it("is dropped for colleagues when the filter stops being shared, and for everyone when it is deleted", async () => {
    const id = await create(people.ann, "Was shared", "shared");
    await act(setDefaultFilterAction, people.ann, { id });
    await act(setDefaultFilterAction, people.bob, { id });
    await act(updateSavedFilterAction, people.ann, {
      id,
      name: "Was shared",
      visibility: "private",
      filter: { status: "error" },
    });
    expect(await getDefaultFilter(t.db, people.bob)).toBeNull();
    expect((await getDefaultFilter(t.db, people.ann))?.filter).toEqual({ status: ["error"] });
    expect((await act(deleteSavedFilterAction, people.ann, { id })).ok).toBe(true);
    expect(await getDefaultFilter(t.db, people.ann)).toBeNull();
  });
});
