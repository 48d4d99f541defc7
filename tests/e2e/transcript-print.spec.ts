import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { e2eDb } from "./support/db.ts";
import { signInAs } from "./support/session.ts";

// A finished chat whose customer pastes a long URL and a long unbroken word: the transcript bubble
// wraps them inside the panel, and "Print transcript" lays the whole transcript out for paper.
// Tagged @live: the conversation becomes the newest, after the specs that read rows by position.
const URL_TEXT = `https://example.test/orders/${"a1b2c3d4".repeat(40)}?ref=${"x".repeat(60)}`;
const WORD = "Supercalifragilistic".repeat(12);

async function chatWithLongLines(): Promise<{ id: string; name: string }> {
  const tag = randomUUID().slice(0, 8);
  const sessionId = `e2e-print-${tag}`;
  const name = `Print Caller ${tag}`;
  const at = (s: number) => new Date(Date.now() - 600_000 + s * 1000).toISOString();
  const base = (n: string, s: number) => ({ id: `${sessionId}-${n}`, sessionId, occurredAt: at(s) });
  const db = e2eDb();
  try {
    const result = await ingestEvents(db, [
      {
        ...base("start", 0),
        type: "conversation.started",
        channel: "chat",
        direction: "inbound",
        language: "en-US",
        customer: { userRef: `usr_print_${tag}`, name },
      },
      { ...base("agent", 2), type: "participant.joined", agentEmail: "agent@parley.demo" },
      { ...base("m1", 5), type: "message", seq: 1, speaker: "customer", body: `My order: ${URL_TEXT}` },
      {
        ...base("m2", 9),
        type: "message",
        seq: 2,
        speaker: "agent",
        agentEmail: "agent@parley.demo",
        body: WORD,
      },
      { ...base("end", 20), type: "conversation.ended", status: "completed_user_hangup" },
    ]);
    expect(result.rejected).toEqual([]);
    return { id: result.conversationIds[0] as string, name };
  } finally {
    await db.destroy();
  }
}

test("long URLs and words wrap in transcript bubbles; Print transcript lays out the whole transcript", {
  tag: "@live",
}, async ({ page }) => {
  const chat = await chatWithLongLines();
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/conversations?open=${chat.id}`);
  const messages = page.getByTestId("transcript-message");
  await expect(messages).toHaveCount(2);
  for (const i of [0, 1]) {
    const body = messages.nth(i).locator("p").last();
    // Wrapped: nothing wider than the bubble, and the bubble no wider than the transcript.
    const widths = await body.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      bubble: (el.closest("li") as HTMLElement).getBoundingClientRect().right,
      list: (el.closest("ol") as HTMLElement).getBoundingClientRect().right,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.bubble).toBeLessThanOrEqual(widths.list + 1);
  }

  await page.goto(`/print/transcript/${chat.id}`);
  await expect(page.getByRole("heading", { name: `Transcript · ${chat.name}` })).toBeVisible();
  const entries = page.getByTestId("print-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText(URL_TEXT);
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const pdf = await page.pdf({ format: "A4" }); // Chromium's own print layout
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
});
