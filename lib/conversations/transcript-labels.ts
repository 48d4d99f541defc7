import type { MessageKind, Speaker } from "../../db/types.ts";

// Transcript wording shared by the loader (lib/conversations/detail.ts) and the browser-side
// rendering of later pages; kept apart from the loader so client code does not import database code.

/** Transcript entries that mark a stage rather than speech, in the product's wording. */
export const MESSAGE_KIND_LABELS: Partial<Record<MessageKind, string>> = {
  transfer_to_agent: "User transferred to Agent",
  transfer_to_automation: "User transferred to Automation",
  max_no_input: "Max no-input attempts reached",
  llm_error: "LLM Error Detected",
};

export const SPEAKER_LABELS: Record<Speaker, string> = {
  customer: "Customer",
  ai_agent: "AI Agent",
  agent: "Agent",
  supervisor_whisper: "Supervisor",
  system: "System",
};

/** Recording pauses, noted where they happened: customer speech in them was never recorded. */
export const PAUSE_LABELS = {
  hold: "Call on hold — customer speech not recorded",
  pause: "Recording paused — speech not recorded",
} as const;
