"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import {
  createSavedFilter,
  deleteSavedFilter,
  duplicateSavedFilter,
  filterName,
  savedFilterInput,
  setDefaultFilter,
  updateSavedFilter,
} from "@/lib/conversations/saved-filters";

// Saved filters: every role keeps its own; who may change a shared one is decided per filter in
// lib/conversations/saved-filters.ts (owner or admin), on the server.

export const createSavedFilterAction = defineAction({
  input: savedFilterInput,
  permission: "conversations:read",
  handler: (input, ctx) => createSavedFilter(ctx.db, ctx, input),
});

export const updateSavedFilterAction = defineAction({
  input: savedFilterInput.extend({ id: z.uuid() }),
  permission: "conversations:read",
  handler: ({ id, ...input }, ctx) => updateSavedFilter(ctx.db, ctx, id, input),
});

export const duplicateSavedFilterAction = defineAction({
  input: z.object({ id: z.uuid(), name: filterName }),
  permission: "conversations:read",
  handler: ({ id, name }, ctx) => duplicateSavedFilter(ctx.db, ctx, id, name),
});

/** Marks a filter as the viewer's default, or (id null) removes their default. */
export const setDefaultFilterAction = defineAction({
  input: z.object({ id: z.uuid().nullable() }),
  permission: "conversations:read",
  handler: ({ id }, { db, viewer }) => setDefaultFilter(db, viewer, id),
});

export const deleteSavedFilterAction = defineAction({
  input: z.object({ id: z.uuid() }),
  permission: "conversations:read",
  handler: ({ id }, ctx) => deleteSavedFilter(ctx.db, ctx, id),
});
