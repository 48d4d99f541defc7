import { type Browser, expect, type Page, test } from "@playwright/test";
import { EXPORT_RESTRICTED } from "../../lib/exports/kinds.ts";
import { e2eDb } from "./support/db.ts";
import { PREPARE_WAIT_MS, recordedCalls } from "./support/recordings.ts";
import { hoverForTooltip, signInAs } from "./support/session.ts";

// An admin withholds exports from agents (Admin → Settings): an agent then sees the export and
// download controls inactive, with the access restriction message on hover. Changes an
// instance-wide setting, so it runs in its own ordered project (playwright.config.ts), and puts it back.
const SETTING = "Agents can export and download conversations";

async function newSession(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, name);
  // A new browser context's first render (a server render of the whole list) can take a while.
  await expect(page.getByTestId("conversation-row").first()).toBeVisible({ timeout: 30_000 });
  return page;
}

async function setAgentExports(admin: Page, on: boolean) {
  await admin.goto("/admin/settings");
  await admin.getByLabel(SETTING).setChecked(on);
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Settings saved")).toBeVisible();
}

test("an agent without the export permission sees inactive export and download buttons, with the message", async ({
  browser,
}) => {
  test.setTimeout(PREPARE_WAIT_MS + 90_000); // the agent's recorded call must be ready to play
  const admin = await newSession(browser, "Ada Admin");
  await setAgentExports(admin, false);
  try {
    const agent = await newSession(browser, "Alex Agent");
    const exportButton = agent.getByRole("button", { name: "Export", exact: true });
    await expect(exportButton).toBeDisabled();
    await hoverForTooltip(exportButton.locator(".."), EXPORT_RESTRICTED);

    const row = agent.getByTestId("conversation-row").first();
    await row.getByRole("button", { name: /^Actions for / }).click();
    const download = agent.getByRole("menu").getByRole("menuitem", { name: "Download transcript" });
    await expect(download).toHaveAttribute("aria-disabled", "true");
    await hoverForTooltip(download, EXPORT_RESTRICTED);
    await expect(async () => {
      await agent.keyboard.press("Escape"); // a first Escape may only close the tooltip
      await expect(agent.getByRole("menu")).toBeHidden({ timeout: 1000 });
    }).toPass();

    // The server refuses too, whatever the browser sends.
    const id = await row.getAttribute("data-conversation-id");
    expect((await agent.request.get(`/api/conversations/${id}/transcript`)).status()).toBe(403);

    // Recordings, screen recordings and diagnostics exports are downloads too (the agent's own call).
    const db = e2eDb();
    const own = await recordedCalls(db)
      .then((calls) => calls.own)
      .finally(() => db.destroy());
    await agent.goto(`/conversations?open=${own.conversationId}`);
    const recordingDownload = agent.getByTestId("recording-player").getByRole("button", { name: "Download" });
    await expect(recordingDownload).toBeDisabled({ timeout: 30_000 });
    await hoverForTooltip(recordingDownload.locator(".."), EXPORT_RESTRICTED);
    // The player's stream is the whole recording: withheld too, with the reason on the Play button.
    const play = agent.getByTestId("recording-player").getByRole("button", { name: "Play" });
    await expect(play).toBeDisabled();
    await hoverForTooltip(play.locator(".."), EXPORT_RESTRICTED);
    const screenDownload = agent.getByTestId("screen-recording").getByRole("button", {
      name: "Download screen recording",
    });
    await expect(screenDownload).toBeDisabled();
    await hoverForTooltip(screenDownload.locator(".."), EXPORT_RESTRICTED);
    await agent.goto(`/diagnostics/${own.conversationId}`);
    const exportText = agent.getByRole("button", { name: "Export TEXT" });
    await expect(exportText).toBeDisabled();
    await hoverForTooltip(exportText.locator(".."), EXPORT_RESTRICTED);
    for (const file of [
      "recording/files/merged.flac",
      "recording/audio",
      `screen-recordings/${own.agentId}`,
      "diagnostics/text",
      "diagnostics/pcap",
    ]) {
      const res = await agent.request.get(`/api/conversations/${own.conversationId}/${file}`);
      expect(res.status(), file).toBe(403);
      expect(await res.json()).toEqual({ error: EXPORT_RESTRICTED });
    }

    // A supervisor keeps the permission.
    const supervisor = await newSession(browser, "Sam Supervisor");
    await expect(supervisor.getByRole("button", { name: "Export", exact: true })).toBeEnabled();
  } finally {
    await setAgentExports(admin, true);
  }
});
