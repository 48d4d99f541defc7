import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import { latenciesOfRow } from "../../lib/conversations/latency.ts";
import { formatElapsed, formatStandardTimestamp } from "../../lib/conversations/transcript-time.ts";
import { e2eDb } from "./support/db.ts";
import { openTab, signInAs } from "./support/session.ts";

// The Insights to Logs panel, opened by deep link (/conversations?open=<id>) on the demo data.
// Expected values are read straight from the e2e database. The settings tests change instance-wide
// settings (time format, masking) and put them back, so the whole file runs in order.
test.describe.configure({ mode: "serial" });
// Standard Timestamps render in the reader's zone: pin it so the expected text is exact.
test.use({ timezoneId: "UTC", permissions: ["clipboard-read", "clipboard-write"] });

const ADMIN = "Ada Admin";
const SUPERVISOR = "Sam Supervisor";
const AGENT = "Alex Agent";

type Fixtures = Awaited<ReturnType<typeof loadFixtures>>;
let fx: Fixtures;

test.beforeAll(async () => {
  fx = await loadFixtures();
});

async function loadFixtures() {
  const db = e2eDb();
  try {
    const alex = await db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "agent@parley.demo")
      .executeTakeFirstOrThrow();
    const has = (condition: string) => sql<boolean>`exists (select 1 from ${sql.raw(condition)})`;
    // A finished English voice call with a transfer to an agent, a supervisor whisper, measured
    // latency, a hold and a phone number said aloud, that Alex did not take part in.
    const voice = await db
      .selectFrom("conversations as c")
      .innerJoin("customers as cu", "cu.id", "c.customer_id")
      .selectAll("c")
      .select(["cu.name as cuName", "cu.phone", "cu.email", "cu.user_ref", "cu.channel_user_id"])
      .where("c.channel", "=", "voice")
      .where("c.direction", "=", "inbound")
      .where("c.language", "=", "en-US")
      .where("c.ended_at", "is not", null)
      .where("cu.phone", "is not", null)
      .where("cu.email", "is not", null)
      .where(has(`messages m where m.conversation_id = c.id and m.kind = 'transfer_to_agent'`))
      .where(has(`messages m where m.conversation_id = c.id and m.speaker = 'supervisor_whisper'`))
      .where(has(`latency_turns l where l.conversation_id = c.id`))
      .where(has(`recordings r where r.conversation_id = c.id and r.paused_spans <> '[]'::jsonb`))
      .where(has(`messages m where m.conversation_id = c.id and m.pii_spans @> '[{"type":"phone"}]'`))
      .where(
        sql<boolean>`not exists (select 1 from conversation_participants p where p.conversation_id = c.id and p.user_id = ${alex.id})`,
      )
      .orderBy("c.started_at", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const [participants, queues, messages, turns, notes, tags, disposition] = await Promise.all([
      db
        .selectFrom("conversation_participants as p")
        .innerJoin("users as u", "u.id", "p.user_id")
        .select(["p.role", "u.name"])
        .where("p.conversation_id", "=", voice.id)
        .orderBy("p.joined_at")
        .execute(),
      db
        .selectFrom("conversation_queues as cq")
        .innerJoin("queues as q", "q.id", "cq.queue_id")
        .select("q.name")
        .where("cq.conversation_id", "=", voice.id)
        .orderBy("cq.entered_at")
        .execute(),
      db.selectFrom("messages").selectAll().where("conversation_id", "=", voice.id).orderBy("seq").execute(),
      db
        .selectFrom("latency_turns")
        .selectAll()
        .where("conversation_id", "=", voice.id)
        .orderBy("turn_index")
        .execute(),
      db.selectFrom("notes").select("body").where("conversation_id", "=", voice.id).execute(),
      db
        .selectFrom("conversation_tags")
        .select(["level", "name", "value"])
        .where("conversation_id", "=", voice.id)
        .execute(),
      voice.disposition_id
        ? db
            .selectFrom("dispositions")
            .select("label")
            .where("id", "=", voice.disposition_id)
            .executeTakeFirst()
        : undefined,
    ]);

    // An e-mail thread of at least two e-mails with a BCC on one of them.
    const email = await db
      .selectFrom("conversations as c")
      .innerJoin("customers as cu", "cu.id", "c.customer_id")
      .select(["c.id", "cu.email", "cu.user_ref"])
      .where("c.channel", "=", "email")
      .where(sql<boolean>`(select count(*) from messages m where m.conversation_id = c.id) >= 2`)
      .where(has(`messages m where m.conversation_id = c.id and cardinality(m.email_bcc) > 0`))
      .where("cu.email", "is not", null)
      .orderBy("c.started_at", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const emails = await db
      .selectFrom("messages")
      .select(["email_subject", "email_from", "email_to", "email_cc", "email_bcc"])
      .where("conversation_id", "=", email.id)
      .orderBy("seq")
      .execute();

    const chat = await db
      .selectFrom("conversations as c")
      .select("c.id")
      .where("c.channel", "=", "chat")
      .where("c.ended_at", "is not", null)
      .where(has(`messages m where m.conversation_id = c.id and m.speaker = 'customer'`))
      .orderBy("c.started_at", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();

    const alexOwn = await db
      .selectFrom("conversation_participants")
      .select("conversation_id as id")
      .where("user_id", "=", alex.id)
      .limit(1)
      .executeTakeFirstOrThrow();

    const names = (role: string) => [
      ...new Set(participants.filter((p) => p.role === role).map((p) => p.name)),
    ];
    // A turn links to its message by id once ingest resolved it, by seq before that.
    const ids = new Set(messages.map((m) => m.id));
    const seqs = new Set(messages.map((m) => m.seq));
    const firstTurn = turns.find(
      (t) =>
        (t.message_id !== null && ids.has(t.message_id)) ||
        (t.message_seq !== null && seqs.has(t.message_seq)),
    );
    return {
      voice,
      agents: names("agent"),
      consultants: names("consultant"),
      supervisors: names("supervisor"),
      queues: queues.map((q) => q.name),
      firstMessageAt: messages[0]?.sent_at as Date,
      firstLatency: firstTurn ? latenciesOfRow(firstTurn) : null,
      notes: notes.map((n) => n.body),
      sessionTags: tags.filter((t) => t.level === "session"),
      userTags: tags.filter((t) => t.level === "user"),
      dispositionLabel: disposition?.label ?? null,
      email: { ...email, messages: emails },
      chat,
      alexOwn,
    };
  } finally {
    await db.destroy();
  }
}

async function openPanel(page: Page, id: string, query = ""): Promise<Locator> {
  await page.goto(`/conversations?open=${id}${query}`);
  const panel = page.getByTestId("insights-panel");
  await expect(panel).toBeVisible();
  return panel;
}

const field = (scope: Locator, label: string) => scope.getByTestId(`field-${label}`);

/** Changes instance-wide settings on the admin page, as an admin would. */
async function saveSetting(browser: Browser, change: (page: Page) => Promise<void>) {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, ADMIN);
  await page.goto("/admin/settings");
  await change(page);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await page.context().close();
}

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "—");

test("a voice call: header icons, transcript stages, whisper, hold and latency", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  const panel = await openPanel(page, fx.voice.id);
  await expect(panel.getByRole("heading", { name: "Insights to Logs" })).toBeVisible();
  const attributes = panel.getByRole("list", { name: "Conversation attributes" });
  await expect(attributes.getByRole("img", { name: "Direction: Inbound" })).toBeVisible();
  await expect(attributes.getByRole("img", { name: "Language: American English" })).toBeVisible();
  const sentiment = fx.voice.sentiment
    ? `${fx.voice.sentiment.charAt(0).toUpperCase()}${fx.voice.sentiment.slice(1)}`
    : "Not analysed";
  await expect(attributes.getByRole("img", { name: `Sentiment: ${sentiment}` })).toBeVisible();
  await expect(attributes.getByRole("img", { name: "Channel: Voice" })).toBeVisible();

  await expect(page.getByRole("tab", { name: "Transcript" })).toHaveAttribute("aria-selected", "true");
  const transcript = page.getByRole("tabpanel", { name: "Transcript" });
  await expect(
    transcript.getByTestId("transcript-stage").filter({ hasText: "User transferred to Agent" }),
  ).not.toHaveCount(0);
  const whisper = transcript.locator('[data-speaker="supervisor_whisper"]').first();
  await expect(whisper).toContainText("Whisper");
  await expect(
    transcript
      .getByTestId("transcript-pause")
      .filter({ hasText: "Call on hold — customer speech not recorded" }),
  ).not.toHaveCount(0);
  expect(fx.firstLatency).not.toBeNull();
  const ms = (v: number | null) => (v === null ? "—" : `${v} ms`);
  const first = transcript.locator('[data-testid="transcript-message"]:has([aria-label="Latency"])').first();
  await expect(first.getByTestId("latency-asrMs")).toHaveText(`ASR${ms(fx.firstLatency?.asrMs ?? null)}`);
  await expect(first.getByTestId("latency-botMs")).toHaveText(`Bot${ms(fx.firstLatency?.botMs ?? null)}`);
  await expect(first.getByTestId("latency-ttsMs")).toHaveText(`TTS${ms(fx.firstLatency?.ttsMs ?? null)}`);
  await expect(first.getByTestId("latency-e2eMs")).toHaveText(
    `End-to-End${ms(fx.firstLatency?.e2eMs ?? null)}`,
  );
});

test("Details, User and Identifiers tabs: every field, copy buttons and Copy All", async ({ page }) => {
  test.slow(); // three tabs and every field of each
  await signInAs(page, SUPERVISOR);
  await openPanel(page, fx.voice.id);
  const v = fx.voice;

  const details = await openTab(page, "Details");
  await expect(field(details, "Start")).toContainText(String(v.started_at.getUTCFullYear()));
  await expect(field(details, "End")).not.toContainText("In progress");
  for (const name of fx.agents) await expect(field(details, "Agents")).toContainText(name);
  await expect(field(details, "Consulting agents")).toHaveText(
    `Consulting agents${fx.consultants.length ? fx.consultants.join(", ") : "—"}`,
  );
  await expect(field(details, "Joined Users")).toHaveText(
    `Joined Users${fx.supervisors.length ? fx.supervisors.join(", ") : "—"}`,
  );
  await expect(field(details, "Queues")).toHaveText(`Queues${fx.queues.join("→") || "—"}`);
  await expect(field(details, "Status")).toContainText(/Completed/);
  await expect(field(details, "Mode")).toContainText(v.mode ? new RegExp(v.mode, "i") : "—");
  await expect(field(details, "CSAT")).toContainText(
    v.csat_score !== null ? `${v.csat_score} out of 5` : v.csat_triggered ? "Survey sent, no response" : "—",
  );
  await expect(field(details, "Disposition")).toContainText(fx.dispositionLabel ?? "—");
  for (const note of fx.notes) await expect(field(details, "Notes")).toContainText(note);
  await expect(field(details, "Notes").getByRole("textbox")).toHaveCount(0); // view only
  await expect(field(details, "Snooze Count")).toHaveText(`Snooze Count${v.snooze_count}`);
  await expect(field(details, "Snooze Duration")).toBeVisible();
  await expect(field(details, "Campaign Name")).toHaveText("Campaign Name—");
  for (const t of fx.sessionTags)
    await expect(field(details, "Session-level tags")).toContainText(`${t.name}: ${t.value}`);

  const user = await openTab(page, "User");
  await expect(field(user, "Customer Phone")).toContainText(v.phone as string);
  await expect(field(user, "Customer Name")).toContainText(v.cuName ?? "—");
  await expect(field(user, "Customer Email")).toContainText(v.email as string);
  await expect(field(user, "Channel User ID")).toContainText(v.channel_user_id ?? "—");
  await expect(field(user, "User ID")).toContainText(v.user_ref);
  for (const t of fx.userTags)
    await expect(field(user, "User-level tags")).toContainText(`${t.name}: ${t.value}`);

  const ids = await openTab(page, "Identifiers");
  const expected: [string, string | null][] = [
    ["Call ID", v.call_id],
    ["Session ID", v.session_id],
    ["Channel User ID", v.channel_user_id],
    ["Call Conversation ID", v.call_conversation_id],
    ["Agent Conversation ID", v.agent_conversation_id],
    ["User ID", v.user_ref],
    ["Campaign Instance ID", v.campaign_instance_id],
  ];
  for (const [label, value] of expected) await expect(field(ids, label)).toContainText(value ?? "—");

  const copySession = ids.getByRole("button", { name: "Copy Session ID" });
  await copySession.click();
  await expect(field(ids, "Session ID").getByRole("button")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(v.session_id);

  const copyAll = ids.getByTestId("copy-all").getByRole("button");
  await expect(copyAll).toHaveText("Copy All");
  await copyAll.click();
  await expect(copyAll).toHaveText("Copied");
  expect((await page.evaluate(() => navigator.clipboard.readText())).split("\n")).toEqual([
    `Start Time: ${iso(v.started_at)}`,
    `End Time: ${iso(v.ended_at)}`,
    `Caller ID: ${v.phone}`,
    `Session ID: ${v.session_id}`,
    `Channel User ID: ${v.channel_user_id ?? "—"}`,
    `Call Conversation ID: ${v.call_conversation_id ?? "—"}`,
    `Agent Conversation ID: ${v.agent_conversation_id ?? "—"}`,
    `User ID: ${v.user_ref}`,
    `Caller: ${v.cuName ?? v.user_ref}`,
    `Callee: ${fx.queues[0] ?? "—"}`,
  ]);
});

test("tabs work from the keyboard and the active one is part of the link", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  await openPanel(page, fx.voice.id);
  await page.getByRole("tab", { name: "Transcript" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Details" })).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(/[?&]tab=details/);
  await page.keyboard.press("End");
  await expect(page.getByRole("tab", { name: "Identifiers" })).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(/[?&]tab=identifiers/);

  await page.reload();
  await expect(page.getByRole("tab", { name: "Identifiers" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tabpanel", { name: "Identifiers" })).toBeVisible();
  await openPanel(page, fx.voice.id, "&tab=user");
  await expect(page.getByRole("tabpanel", { name: "User" })).toBeVisible();
});

test("an e-mail thread: subject first, each e-mail's From, To, CC and BCC in View Details", async ({
  page,
}) => {
  await signInAs(page, SUPERVISOR);
  const panel = await openPanel(page, fx.email.id);
  await expect(panel.getByRole("img", { name: "Channel: Email" })).toBeVisible();
  const [first] = fx.email.messages;
  await expect(panel.getByTestId("transcript-subject")).toHaveText(first?.email_subject ?? "");
  const messages = panel.getByTestId("transcript-message");
  await expect(messages).toHaveCount(fx.email.messages.length);

  for (const [i, m] of fx.email.messages.entries()) {
    await messages.nth(i).getByRole("button", { name: "View Details" }).click();
    // Named: below 2xl the panel around it is a dialog too (a side sheet).
    const dialog = page.getByRole("dialog", { name: "E-mail details" });
    await expect(dialog).toBeVisible();
    const list = (a: string[] | null) => (a?.length ? a.join(", ") : "—");
    await expect(dialog.getByTestId("email-from")).toHaveText(m.email_from ?? "—");
    await expect(dialog.getByTestId("email-to")).toHaveText(list(m.email_to));
    await expect(dialog.getByTestId("email-cc")).toHaveText(list(m.email_cc));
    await expect(dialog.getByTestId("email-bcc")).toHaveText(list(m.email_bcc));
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
  }
});

test("a chat transcript", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  const panel = await openPanel(page, fx.chat.id);
  await expect(panel.getByRole("img", { name: "Channel: Chat" })).toBeVisible();
  await expect(panel.locator('[data-speaker="customer"]').first()).toBeVisible();
  await expect(panel.getByRole("button", { name: "View Details" })).toHaveCount(0);
});

test("transcript times follow the admin's display format", async ({ page, browser }) => {
  const db = e2eDb();
  const stored = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "time_display_format")
    .executeTakeFirst();
  await db.destroy();
  const original = stored?.value === "duration" ? "Duration Markers" : "Standard Timestamps";
  test.slow(); // three settings changes through the admin page
  await signInAs(page, SUPERVISOR);
  try {
    await saveSetting(browser, (admin) => admin.getByLabel("Duration Markers").check());
    let panel = await openPanel(page, fx.voice.id);
    await expect(panel.getByTestId("transcript-time").first()).toHaveText(
      formatElapsed(fx.voice.started_at, fx.firstMessageAt),
    );
    await expect(panel.getByTestId("transcript-time").first()).toHaveText(/^\d{2}:\d{2}$/);

    await saveSetting(browser, (admin) => admin.getByLabel("Standard Timestamps").check());
    panel = await openPanel(page, fx.voice.id);
    await expect(panel.getByTestId("transcript-time").first()).toHaveText(
      formatStandardTimestamp(fx.firstMessageAt, "UTC"),
    );
    await expect(panel.getByTestId("transcript-time").first()).toHaveText(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{1,2} \d{4}, \d{1,2}:\d{2}:\d{2} (AM|PM)$/,
    );
  } finally {
    await saveSetting(browser, (admin) => admin.getByLabel(original).check());
  }
});

test("Obscure customer info: phone and e-mail never reach the panel, the User ID shows instead", async ({
  page,
  browser,
}) => {
  test.slow(); // two settings changes through the admin page, two conversations
  const v = fx.voice;
  await signInAs(page, SUPERVISOR);
  let panel = await openPanel(page, v.id, "&tab=user");
  const user = page.getByRole("tabpanel", { name: "User" });
  await expect(field(user, "Customer Phone")).toContainText(v.phone as string);
  await expect(field(user, "Customer Email")).toContainText(v.email as string);

  await saveSetting(browser, (admin) => admin.getByLabel("Obscure customer info").check());
  try {
    panel = await openPanel(page, v.id, "&tab=user");
    await expect(field(user, "Customer Phone")).toContainText(`User ID ${v.user_ref}`);
    await expect(field(user, "Customer Email")).toContainText(`User ID ${v.user_ref}`);
    await expect(field(user, "User ID")).toContainText(v.user_ref);
    // Not merely hidden: absent from the whole page, the transcript and identifiers included.
    const html = await page.content();
    expect(html).not.toContain(v.phone as string);
    expect(html.toLowerCase()).not.toContain((v.email as string).toLowerCase());
    const transcript = await openTab(page, "Transcript");
    await expect(transcript).toContainText("[redacted phone]");
    const ids = await openTab(page, "Identifiers");
    await ids.getByRole("button", { name: "Copy All" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`Caller ID: ${v.user_ref}`);

    panel = await openPanel(page, fx.email.id);
    const html2 = await page.content();
    expect(html2.toLowerCase()).not.toContain((fx.email.email as string).toLowerCase());
    const fromCustomer = fx.email.messages.findIndex((m) => m.email_from === fx.email.email);
    if (fromCustomer >= 0) {
      await panel
        .getByTestId("transcript-message")
        .nth(fromCustomer)
        .getByRole("button", { name: "View Details" })
        .click();
      await expect(page.getByRole("dialog", { name: "E-mail details" }).getByTestId("email-from")).toHaveText(
        fx.email.user_ref,
      );
      await page.keyboard.press("Escape");
    }
  } finally {
    await saveSetting(browser, (admin) => admin.getByLabel("Obscure customer info").uncheck());
  }
  panel = await openPanel(page, v.id, "&tab=user");
  await expect(field(user, "Customer Phone")).toContainText(v.phone as string);
});

test("an agent deep-linking another agent's conversation sees only that it is not available", async ({
  page,
}) => {
  await signInAs(page, AGENT);
  let panel = await openPanel(page, fx.voice.id);
  await expect(panel).toContainText("This conversation is not available");
  await expect(panel.getByRole("tab")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(fx.voice.session_id);

  // Exactly what an id that does not exist shows: existence is not leaked.
  panel = await openPanel(page, "00000000-0000-4000-8000-000000000000");
  await expect(panel).toContainText("This conversation is not available");

  panel = await openPanel(page, fx.alexOwn.id);
  await expect(panel.getByRole("heading", { name: "Insights to Logs" })).toBeVisible();
  await expect(panel.getByRole("tab", { name: "Transcript" })).toBeVisible();
});
