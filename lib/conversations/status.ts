import type { ConversationStatus, SmartStatus } from "../../db/types.ts";

/** The product's wording for each status (lists, panels, exports). */
export const STATUS_LABELS: Record<ConversationStatus, string> = {
  in_progress: "In Progress",
  error: "Error",
  completed_drop_off: "Completed (Drop Off)",
  completed_user_hangup: "Completed (User Hangup)",
  completed_ai_agent_hangup: "Completed (AI Agents Hangup)",
  completed: "Completed",
};

export function statusLabel(status: ConversationStatus): string {
  return STATUS_LABELS[status];
}

/** SmartStatus, the finer business status derived from events, in the product's wording. */
export const SMART_STATUS_LABELS: Record<SmartStatus, string> = {
  queued: "Queued",
  handling: "Handling",
  messaging: "Messaging",
  on_hold: "On Hold",
  awaiting_customer: "Awaiting Customer",
  inactive: "Inactive",
  escalated: "Escalated",
  disconnected: "Disconnected",
  abandoned: "Abandoned",
  resolved: "Resolved",
};
