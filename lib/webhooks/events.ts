// The events an outgoing webhook can subscribe to (client-safe: the admin form lists them).

export const WEBHOOK_EVENTS = [
  "recording.ready",
  "recording.failed",
  "recording.deleted",
  "export.ready",
  "disposition.changed",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent by "Send test" only; no endpoint subscribes to it. */
export const TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "recording.ready": "Recording ready",
  "recording.failed": "Recording failed",
  "recording.deleted": "Recording deleted",
  "export.ready": "Export ready",
  "disposition.changed": "Disposition changed",
};
