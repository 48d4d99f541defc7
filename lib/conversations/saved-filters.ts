import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { FilterVisibility } from "../../db/types.ts";
import { ActionError } from "../action-error.ts";
import type { Actor, RequestContext } from "../audit/index.ts";
import { recordAudit } from "../audit/index.ts";
import { can, type Role } from "../auth/permissions.ts";
import {
  type ConversationFilter,
  filterQuery,
  filterSchema,
  hasFilters,
  parseListParams,
  pickFilter,
} from "../list-params.ts";

// Saved filters of the Conversations list. A filter is private to its owner or shared with the team
// (every signed-in user sees it, with its owner's name); only the owner, or an admin
// ("filters:manage-any"), changes or deletes it. Anyone who sees a filter may duplicate it or make it
// their own default. The definition is stored as the URL parameters of the filter fields, so it is
// read back by the same schema as a link, and a value a later version no longer accepts is dropped
// rather than breaking the list.

export type FilterViewer = { id: string; role: Role };

export type SavedFilter = {
  id: string;
  name: string;
  visibility: FilterVisibility;
  ownerId: string;
  ownerName: string;
  filter: ConversationFilter;
  /** The viewer's default filter (applied when the list opens without an explicit filter). */
  isDefault: boolean;
  /** The viewer may edit and delete it (owner or admin). */
  canManage: boolean;
};

export type SavedFilterInput = { name: string; visibility: FilterVisibility; filter: ConversationFilter };

export const MAX_SAVED_FILTERS = 100;
export const FILTER_GONE = "This filter no longer exists.";
export const FILTER_NOT_YOURS = "Only the filter's owner or an admin can change it.";
export const FILTER_EMPTY = "Choose at least one filter before saving.";
export const FILTER_LIMIT = `You can save up to ${MAX_SAVED_FILTERS} filters.`;
export const nameTaken = (name: string) => `You already have a filter named "${name}".`;

/** A filter's name as typed in the Save & Apply and Rename Filter windows. */
export const filterName = z
  .string()
  .trim()
  .min(1, "Enter a name for the filter.")
  .max(80, "Use at most 80 characters for the name.");

/** What Save & Apply sends: the name, who sees it, and the filter fields in their URL form. */
export const savedFilterInput = z.object({
  name: filterName,
  visibility: z.enum(["private", "shared"]),
  filter: filterSchema,
});

const storedDefinition = z.record(z.string(), z.string()).catch({});

function readFilter(definition: unknown): ConversationFilter {
  return pickFilter(parseListParams(storedDefinition.parse(definition)));
}

function visibleFilters(db: Database, viewer: FilterViewer) {
  return db
    .selectFrom("saved_filters as f")
    .innerJoin("users as owner", "owner.id", "f.owner_id")
    .select([
      "f.id",
      "f.name",
      "f.visibility",
      "f.owner_id as ownerId",
      "owner.name as ownerName",
      "f.definition",
    ])
    .where((eb) => eb.or([eb("f.owner_id", "=", viewer.id), eb("f.visibility", "=", "shared")]));
}

const canManage = (viewer: FilterViewer, ownerId: string) =>
  ownerId === viewer.id || can(viewer.role, "filters:manage-any");

/** The viewer's own filters, then those shared by others, each by name. */
export async function listSavedFilters(db: Database, viewer: FilterViewer): Promise<SavedFilter[]> {
  const [rows, me] = await Promise.all([
    visibleFilters(db, viewer).execute(),
    db.selectFrom("users").select("default_filter_id").where("id", "=", viewer.id).executeTakeFirst(),
  ]);
  return rows
    .map(({ definition, ...row }) => ({
      ...row,
      filter: readFilter(definition),
      isDefault: row.id === me?.default_filter_id,
      canManage: canManage(viewer, row.ownerId),
    }))
    .sort(
      (a, b) =>
        Number(b.ownerId === viewer.id) - Number(a.ownerId === viewer.id) ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
}

/** The viewer's default filter, if they have one they may still see. */
export async function getDefaultFilter(db: Database, viewer: FilterViewer): Promise<SavedFilter | null> {
  const row = await visibleFilters(db, viewer)
    .innerJoin("users as me", "me.default_filter_id", "f.id")
    .where("me.id", "=", viewer.id)
    .executeTakeFirst();
  if (!row) return null;
  const { definition, ...rest } = row;
  return {
    ...rest,
    filter: readFilter(definition),
    isDefault: true,
    canManage: canManage(viewer, row.ownerId),
  };
}

export type FilterActionContext = { viewer: FilterViewer; actor: Actor; context: RequestContext };

export async function createSavedFilter(
  db: Database,
  { viewer, actor, context }: FilterActionContext,
  input: SavedFilterInput,
): Promise<{ id: string }> {
  if (!hasFilters({ sort: "newest", size: 50, ...input.filter })) throw new ActionError(FILTER_EMPTY);
  return db.transaction().execute(async (trx) => {
    const { n } = await trx
      .selectFrom("saved_filters")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("owner_id", "=", viewer.id)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_SAVED_FILTERS) throw new ActionError(FILTER_LIMIT);
    await refuseTakenName(trx, viewer.id, input.name);
    const { id } = await trx
      .insertInto("saved_filters")
      .values({
        owner_id: viewer.id,
        name: input.name,
        visibility: input.visibility,
        definition: JSON.stringify(filterQuery(input.filter)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Publishing to the whole team is audited; a private filter concerns nobody else.
    if (input.visibility === "shared")
      await recordAudit(trx, {
        actor,
        action: "saved-filter.create",
        target: { type: "saved_filter", id },
        detail: { name: input.name, visibility: input.visibility },
        context,
      });
    return { id };
  });
}

export async function updateSavedFilter(
  db: Database,
  ctx: FilterActionContext,
  id: string,
  input: SavedFilterInput,
): Promise<{ id: string }> {
  if (!hasFilters({ sort: "newest", size: 50, ...input.filter })) throw new ActionError(FILTER_EMPTY);
  return db.transaction().execute(async (trx) => {
    const before = await manageable(trx, ctx.viewer, id);
    if (before.name !== input.name) await refuseTakenName(trx, before.ownerId, input.name);
    await trx
      .updateTable("saved_filters")
      .set({
        name: input.name,
        visibility: input.visibility,
        definition: JSON.stringify(filterQuery(input.filter)),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    // No longer shared: colleagues who had made it their default lose it (they cannot see it now).
    if (input.visibility === "private")
      await trx
        .updateTable("users")
        .set({ default_filter_id: null })
        .where("default_filter_id", "=", id)
        .where("id", "!=", before.ownerId)
        .execute();
    await auditIfShared(trx, ctx, "saved-filter.update", before, input.visibility, {
      name: input.name,
      visibility: input.visibility,
    });
    return { id };
  });
}

/** A private copy, owned by the viewer, of any filter they can see. */
export async function duplicateSavedFilter(
  db: Database,
  ctx: FilterActionContext,
  id: string,
  name: string,
): Promise<{ id: string }> {
  const source = await visibleFilters(db, ctx.viewer).where("f.id", "=", id).executeTakeFirst();
  if (!source) throw new ActionError(FILTER_GONE);
  return createSavedFilter(db, ctx, { name, visibility: "private", filter: readFilter(source.definition) });
}

export async function deleteSavedFilter(db: Database, ctx: FilterActionContext, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await manageable(trx, ctx.viewer, id);
    // users.default_filter_id is "on delete set null": nobody is left with a dangling default.
    await trx.deleteFrom("saved_filters").where("id", "=", id).execute();
    await auditIfShared(trx, ctx, "saved-filter.delete", before, before.visibility, { name: before.name });
  });
}

/** Makes a visible filter the viewer's default, or (null) removes their default. */
export async function setDefaultFilter(db: Database, viewer: FilterViewer, id: string | null): Promise<void> {
  if (id !== null) {
    const visible = await visibleFilters(db, viewer).where("f.id", "=", id).executeTakeFirst();
    if (!visible) throw new ActionError(FILTER_GONE);
  }
  await db.updateTable("users").set({ default_filter_id: id }).where("id", "=", viewer.id).execute();
}

type Existing = { id: string; ownerId: string; name: string; visibility: FilterVisibility };

/** The filter, locked for the change, if the viewer may change it; a refusal otherwise. */
async function manageable(db: Database, viewer: FilterViewer, id: string): Promise<Existing> {
  const row = await db
    .selectFrom("saved_filters")
    .select(["id", "owner_id as ownerId", "name", "visibility"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  // Someone else's private filter does not exist for the viewer, admins included.
  if (!row || (row.ownerId !== viewer.id && row.visibility !== "shared")) throw new ActionError(FILTER_GONE);
  if (!canManage(viewer, row.ownerId)) throw new ActionError(FILTER_NOT_YOURS);
  return row;
}

// Checked up front for a clear message; the unique (owner_id, name) constraint still backs it.
async function refuseTakenName(db: Database, ownerId: string, name: string): Promise<void> {
  const taken = await db
    .selectFrom("saved_filters")
    .select("id")
    .where("owner_id", "=", ownerId)
    .where("name", "=", name)
    .executeTakeFirst();
  if (taken) throw new ActionError(nameTaken(name));
}

// Changes that reach other people are audited: to a filter shared with the team (before or after),
// and an admin acting on someone else's filter.
async function auditIfShared(
  db: Database,
  { viewer, actor, context }: FilterActionContext,
  action: string,
  before: Existing,
  visibility: FilterVisibility,
  detail: Record<string, string>,
): Promise<void> {
  if (before.visibility !== "shared" && visibility !== "shared" && before.ownerId === viewer.id) return;
  await recordAudit(db, {
    actor,
    action,
    target: { type: "saved_filter", id: before.id },
    detail: { ...detail, ownerId: before.ownerId },
    context,
  });
}
