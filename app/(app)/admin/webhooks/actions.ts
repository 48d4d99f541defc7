"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { defineAction, formList } from "@/lib/auth/action";
import { getBoss } from "@/lib/jobs/instance";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  sendTestWebhook,
  setWebhookEndpointActive,
  webhookEndpointSchema,
  webhookEventsSchema,
} from "@/lib/webhooks/index";

// Webhooks send conversation events to other systems, so they sit with the settings permission,
// like API keys.

const GONE = "This webhook no longer exists.";

export const createWebhookAction = defineAction({
  input: z.object({
    url: webhookEndpointSchema.shape.url,
    description: webhookEndpointSchema.shape.description,
    events: formList(webhookEventsSchema),
  }),
  permission: "settings:manage",
  // The signing secret goes back to the creator's browser this once.
  handler: async (input, { db, actor, context }) => {
    const created = await createWebhookEndpoint(db, actor, input, context);
    return { url: input.url, secret: created.secret };
  },
});

export const setWebhookActiveAction = defineAction({
  input: z.object({ id: z.uuid(), active: z.enum(["true", "false"]).transform((v) => v === "true") }),
  permission: "settings:manage",
  handler: async ({ id, active }, { db, actor, context }) => {
    if (!(await setWebhookEndpointActive(db, actor, id, active, context))) {
      throw new ActionError(active ? "This webhook is already on." : "This webhook is already off.");
    }
  },
});

export const deleteWebhookAction = defineAction({
  input: z.object({ id: z.uuid() }),
  permission: "settings:manage",
  handler: async ({ id }, { db, actor, context }) => {
    if (!(await deleteWebhookEndpoint(db, actor, id, context))) throw new ActionError(GONE);
  },
});

export const sendTestWebhookAction = defineAction({
  input: z.object({ id: z.uuid() }),
  permission: "settings:manage",
  handler: async ({ id }, { db, actor, context }) => {
    const deliveryId = await sendTestWebhook(db, await getBoss(), actor, id, context);
    if (!deliveryId) throw new ActionError(GONE);
    return { deliveryId };
  },
});
