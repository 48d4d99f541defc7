"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getBoss } from "@/lib/jobs/instance";
import { requestPlatformAction } from "@/lib/platform/actions";

// Join Conversation, Assign, Change Queue (spec: "Supervisor Actions"). Each records a pending
// action and queues its webhook to the platform; the row's status is what the Monitor shows.

const conversationId = z.uuid("Choose a conversation");

export const joinConversationAction = defineAction({
  input: z.object({ conversationId }),
  permission: "monitor:intervene",
  handler: async (input, { db, ...by }) =>
    requestPlatformAction(db, await getBoss(), by, input.conversationId, { kind: "join" }),
});

export const assignConversationAction = defineAction({
  input: z.object({ conversationId, agentId: z.uuid("Choose an agent") }),
  permission: "monitor:intervene",
  handler: async ({ conversationId, agentId }, { db, ...by }) =>
    requestPlatformAction(db, await getBoss(), by, conversationId, { kind: "assign", agentId }),
});

export const changeQueueAction = defineAction({
  input: z.object({ conversationId, queueId: z.uuid("Choose a queue") }),
  permission: "monitor:intervene",
  handler: async ({ conversationId, queueId }, { db, ...by }) =>
    requestPlatformAction(db, await getBoss(), by, conversationId, { kind: "change_queue", queueId }),
});
