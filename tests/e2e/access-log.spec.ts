import { expect, test } from "@playwright/test";
import { e2eDb } from "./support/db.ts";
import { PREPARE_WAIT_MS, recordedCalls } from "./support/recordings.ts";
import { signedIn } from "./support/session.ts";

// The per-conversation access log: what one user just did (open the panel, play the recording)
// shows in the Access section another user (a supervisor) sees on the same conversation.
let conversationId: string;

test.beforeAll(async () => {
  test.setTimeout(PREPARE_WAIT_MS + 30_000);
  const db = e2eDb();
  try {
    conversationId = (await recordedCalls(db)).own.conversationId;
  } finally {
    await db.destroy();
  }
});

test("the Access section lists a view and a playback just made by another user", async ({ browser }) => {
  test.slow(); // two users signed in, and a recording to start
  const agent = await signedIn(browser, "Alex Agent");
  await agent.goto(`/conversations?open=${conversationId}`);
  const player = agent.getByTestId("recording-player");
  await expect(player.getByTestId("recording-waveform")).toBeVisible({ timeout: 60_000 });
  // Agents do not see the access log.
  await expect(agent.getByTestId("access-section")).toHaveCount(0);
  await player.getByRole("button", { name: "Play" }).click();
  await expect(player.getByRole("button", { name: "Pause" })).toBeVisible();
  await player.getByRole("button", { name: "Pause" }).click();

  const supervisor = await signedIn(browser, "Sam Supervisor");
  await supervisor.goto(`/conversations?open=${conversationId}`);
  const access = supervisor.getByRole("region", { name: "Access" });
  const entry = (what: string) =>
    access.getByTestId("access-entry").filter({ hasText: "Alex Agent" }).filter({ hasText: what });
  // The entries are written once each response has gone out: read again until both are there.
  await expect(async () => {
    await supervisor.reload();
    await expect(entry("Viewed the conversation")).toHaveCount(1, { timeout: 2_000 });
    await expect(entry("Played the recording")).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await agent.context().close();
  await supervisor.context().close();
});
