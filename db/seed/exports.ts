import { DEMO_AGENT_EMAIL } from "./catalog.ts";
import type { Story } from "./conversations.ts";

// Conversations older than 30 days, so the export states that depend on age show in the demo:
// Download Events is unavailable for them, and the month of demo traffic is all younger. A few
// finished chats the demo agent handled (so every role sees them; chats have no recording whose
// fetch state depends on age) start AGE_DAYS earlier: every event of a story is timed from its
// start, so they stay internally consistent. Deterministic: the first ones in generation order.
const AGE_DAYS = 35;
const COUNT = 3;

export function ageStoriesForExports(
  stories: Story[],
  staff: readonly { id: string; email: string }[],
): void {
  const agentId = staff.find((s) => s.email === DEMO_AGENT_EMAIL)?.id;
  let aged = 0;
  for (const [i, story] of stories.entries()) {
    if (aged === COUNT) return;
    if (story.live || story.plan.channel !== "chat" || !agentId || story.tl.agentId !== agentId) continue;
    stories[i] = { ...story, start: story.start - AGE_DAYS * 86_400_000 };
    aged++;
  }
}
