import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { e2eDb } from "./support/db.ts";
import { openTab, signedIn, signInAs } from "./support/session.ts";

// Supervisor actions against the simulated platform `npm start` runs (no PLATFORM_WEBHOOK_URL):
// each action goes out as a signed webhook and comes back confirmed through ingest. Tagged @live:
// the conversations these specs start are the newest, so they run after the specs that read rows
// by position (playwright.config.ts).
const SUPERVISOR = "Sam Supervisor";

/** A conversation in progress (a chat in the Billing queue, handled by the demo agent). */
async function startConversation(): Promise<{ id: string; name: string }> {
  const tag = randomUUID().slice(0, 8);
  const sessionId = `e2e-supervisor-${tag}`;
  const name = `Monitor Caller ${tag}`;
  const at = new Date().toISOString();
  const db = e2eDb();
  try {
    const result = await ingestEvents(db, [
      {
        id: `${sessionId}-start`,
        type: "conversation.started",
        sessionId,
        occurredAt: at,
        channel: "chat",
        direction: "inbound",
        language: "en-US",
        customer: { userRef: `usr_sup_${tag}`, name },
      },
      { id: `${sessionId}-queue`, type: "queue.entered", sessionId, occurredAt: at, queue: "Billing" },
      {
        id: `${sessionId}-agent`,
        type: "participant.joined",
        sessionId,
        occurredAt: at,
        agentEmail: "agent@parley.demo",
      },
    ]);
    expect(result.rejected).toEqual([]);
    return { id: result.conversationIds[0] as string, name };
  } finally {
    await db.destroy();
  }
}

/** A completed call the demo agent handled, closed with the disposition "Resolved". */
async function completedConversation(): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const sessionId = `e2e-disposition-${tag}`;
  const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000).toISOString();
  const base = (n: string, s: number) => ({ id: `${sessionId}-${n}`, sessionId, occurredAt: at(s) });
  const db = e2eDb();
  try {
    const result = await ingestEvents(db, [
      {
        ...base("start", 0),
        type: "conversation.started",
        channel: "voice",
        direction: "inbound",
        language: "en-US",
        customer: { userRef: `usr_disp_${tag}`, name: `Disposition Caller ${tag}` },
      },
      { ...base("agent", 5), type: "participant.joined", agentEmail: "agent@parley.demo" },
      { ...base("support", 5), type: "conversation.updated", supportAgentEmail: "agent@parley.demo" },
      {
        ...base("disposition", 60),
        type: "disposition.set",
        code: "RESOLVED",
        agentEmail: "agent@parley.demo",
      },
      { ...base("end", 70), type: "conversation.ended", status: "completed_user_hangup" },
    ]);
    expect(result.rejected).toEqual([]);
    return result.conversationIds[0] as string;
  } finally {
    await db.destroy();
  }
}

test.describe("supervisor actions", { tag: "@live" }, () => {
  // Several sign-ins and platform round trips per test: triple the default timeout.
  test.slow();
  test("Supervisor View from the list; join, assign and change queue, each confirmed by the platform", async ({
    page,
  }) => {
    const conversation = await startConversation();
    await signInAs(page, SUPERVISOR);
    await page.goto("/conversations?status=in_progress");
    const row = page.locator(`[data-conversation-id="${conversation.id}"]`);
    await row.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Supervisor View" }).click();
    await expect(page).toHaveURL(new RegExp(`/monitor\\?conversation=${conversation.id}$`));

    const selected = page.locator(`tr[data-conversation-id="${conversation.id}"]`);
    await expect(selected).toHaveAttribute("aria-current", "true");
    const panel = page.getByTestId("supervisor-actions");
    await expect(panel).toContainText(conversation.name);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
    const action = (label: string) => panel.getByTestId("platform-action").filter({ hasText: label });

    await panel.getByRole("button", { name: "Join Conversation" }).click();
    await expect(action("Join Conversation")).toHaveAttribute("data-status", "confirmed");
    await expect(action("Join Conversation")).toContainText("Confirmed");
    await expect(selected.getByTestId("agents-cell")).toContainText(SUPERVISOR);
    // On the conversation now: Join is not offered again.
    await expect(panel.getByText("You have joined this conversation.")).toBeVisible();
    await expect(panel.getByRole("button", { name: "Join Conversation" })).toHaveCount(0);

    const agentSelect = panel.getByLabel("Assign to agent");
    const agentName = (await agentSelect.locator("option").nth(2).textContent()) ?? "";
    await agentSelect.selectOption({ label: agentName });
    await panel.getByRole("button", { name: "Assign" }).click();
    await expect(action(`Assign → ${agentName}`)).toHaveAttribute("data-status", "confirmed");
    await expect(selected.getByTestId("agents-cell")).toContainText(agentName);

    await panel.getByLabel(/Move to queue/).selectOption({ label: "Technical Support" });
    await panel.getByRole("button", { name: "Change Queue" }).click();
    await expect(action("Change Queue → Technical Support")).toHaveAttribute("data-status", "confirmed");
    await expect(selected.getByTestId("queue-cell")).toContainText("Technical Support");
  });

  test("an agent sees Monitor but cannot act", async ({ page }) => {
    const conversation = await startConversation();
    await signInAs(page, "Alex Agent");
    await page.goto(`/monitor?conversation=${conversation.id}`);
    const panel = page.getByTestId("supervisor-actions");
    await expect(panel.getByRole("button", { name: "Join Conversation" })).toBeDisabled();
    await expect(panel.getByRole("button", { name: "Assign" })).toBeDisabled();
  });
});

test("a supervisor edits a disposition and sees the log; the agent's bell shows the notification live", {
  tag: "@live",
}, async ({ browser }) => {
  test.slow(); // two users signed in at once
  const id = await completedConversation();
  const agent = await signedIn(browser, "Alex Agent");
  const supervisor = await signedIn(browser, SUPERVISOR);
  try {
    // The agent's page is open before the edit: the notification must arrive without a reload.
    await agent.goto("/conversations");
    const bell = agent.getByTestId("notification-bell");
    await expect(bell).toBeVisible();
    const notification = agent.getByTestId("notification").filter({
      has: agent.locator(`a[href="/conversations?open=${id}"]`),
    });

    await supervisor.goto(`/conversations?open=${id}`);
    const details = await openTab(supervisor, "Details");
    await expect(details.getByTestId("field-Disposition")).toContainText("Resolved");
    await details.getByRole("button", { name: "Edit Disposition" }).click();
    const dialog = supervisor.getByRole("dialog", { name: "Edit Disposition" });
    await dialog.getByLabel("Disposition").selectOption({ label: "Callback scheduled" });
    await dialog.getByLabel("Note").fill("Customer wants a call back tomorrow");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(details.getByTestId("field-Disposition")).toContainText("Callback scheduled");

    await details.getByRole("button", { name: "View Logs" }).click();
    const logs = supervisor.getByRole("dialog", { name: "Disposition logs" });
    const latest = logs.getByTestId("disposition-log-entry").first();
    await expect(latest).toContainText("Resolved → Callback scheduled");
    await expect(latest).toContainText("Customer wants a call back tomorrow");
    await expect(latest).toContainText(SUPERVISOR);

    await expect(bell).toHaveAccessibleName(/Notifications, \d+ unread/);
    await bell.click();
    await expect(notification).toHaveCount(1);
    await expect(notification).toContainText(
      `${SUPERVISOR} changed the disposition of your conversation from Resolved to Callback scheduled.`,
    );
    await notification.getByRole("button", { name: "Mark as read" }).click();
    await expect(notification).toHaveAttribute("data-read", "true");
    // Following the link closes the popover instead of leaving it over the page it opened.
    await notification.getByRole("link").click();
    await expect(agent).toHaveURL(new RegExp(`open=${id}`));
    await expect(agent.getByRole("dialog", { name: "Notifications" })).toBeHidden();
  } finally {
    await agent.context().close();
    await supervisor.context().close();
  }
});

test("an agent cannot edit a disposition", { tag: "@live" }, async ({ page }) => {
  test.slow();
  const id = await completedConversation();
  await signInAs(page, "Alex Agent");
  await page.goto(`/conversations?open=${id}`);
  const details = await openTab(page, "Details");
  await expect(details.getByRole("button", { name: "Edit Disposition" })).toBeDisabled();
  await expect(details.getByRole("button", { name: "View Logs" })).toBeEnabled();
});
