"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { createApiKey, createApiKeySchema, revokeApiKey } from "@/lib/api-keys/index";
import { defineAction, formList } from "@/lib/auth/action";

// API keys are machine access to the whole organisation, so they sit with the settings permission.

export const createApiKeyAction = defineAction({
  input: z.object({
    name: createApiKeySchema.shape.name,
    scopes: formList(createApiKeySchema.shape.scopes),
  }),
  permission: "settings:manage",
  // The token goes back to the creator's browser this once; only its hash is stored.
  handler: async (input, { db, actor, context }) => {
    const key = await createApiKey(db, actor, input, context);
    return { name: input.name, token: key.token };
  },
});

export const revokeApiKeyAction = defineAction({
  input: z.object({ id: z.uuid() }),
  permission: "settings:manage",
  handler: async ({ id }, { db, actor, context }) => {
    if (!(await revokeApiKey(db, actor, id, context))) throw new ActionError("This key is already revoked.");
  },
});
