import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { readRtpStreams, readTsv } from "../helpers/tshark.ts";
import { e2eDb } from "./support/db.ts";
import { diagnosticsConversations } from "./support/diagnostics.ts";
import { hoverForTooltip, openTab, signInAs } from "./support/session.ts";

// Diagnostics of the seeded demo calls (real captures from tests/fixtures/diagnostics, parsed at
// seed time): reached from the Insights to Logs panel of a call, absent for a chat.
let ids: { rtcpCall: string; echoCall: string; chat: string };

test.beforeAll(async () => {
  const db = e2eDb();
  try {
    const calls = await diagnosticsConversations(db);
    ids = { rtcpCall: calls.agentCall, echoCall: calls.otherCall, chat: calls.chat };
  } finally {
    await db.destroy();
  }
});

test("Diagnostics of a seeded call open from the conversation panel", async ({ page }) => {
  await signInAs(page, "Alex Agent"); // the call is the demo agent's own
  await page.goto(`/conversations?open=${ids.rtcpCall}`);
  await page.getByTestId("insights-panel").getByRole("link", { name: "Diagnostics" }).click();
  await expect(page).toHaveURL(new RegExp(`/diagnostics/${ids.rtcpCall}$`));
  await expect(page.getByRole("heading", { name: "Diagnostics", level: 1 })).toBeVisible();
});

test("Flow: the ladder of the seeded call as tshark reads it", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${ids.rtcpCall}`);
  // Flow: endpoints as IP:port columns, tshark's messages in capture order, the retransmitted INVITE marked.
  const flow = await openTab(page, "Flow");
  await expect(flow.getByTestId("flow-endpoint")).toContainText(["127.0.0.1:5061", "127.0.0.1:5060"]);
  const sip = readTsv("gst-rtcp-loss.sip.tsv");
  const sipRows = flow.locator('[data-testid="flow-row"][data-kind="sip"]');
  await expect(sipRows).toHaveCount(sip.length);
  await expect(sipRows.first().getByTestId("flow-label")).toHaveText("INVITE");
  await expect(sipRows.first().getByTestId("flow-delta")).toHaveText("+0.000000 s");
  await expect(sipRows.first().getByTestId("flow-time")).toHaveText(/^\d\d:\d\d:\d\d\.\d{6}$/);
  await expect(sipRows.nth(1)).toContainText("Retransmission");
  await expect(sipRows.nth(1).getByTestId("flow-direction")).toContainText("127.0.0.1:5061 → 127.0.0.1:5060");
  // Responses as the spec writes them: "100 (Trying)", "200 (OK)".
  const reasons: Record<string, string> = { "100": "Trying", "180": "Ringing", "200": "OK" };
  await expect(sipRows.getByTestId("flow-label")).toHaveText(
    sip.map((r) => r["sip.Method"] || `${r["sip.Status-Code"]} (${reasons[r["sip.Status-Code"] ?? ""]})`),
  );
  const rtcpRows = flow.locator('[data-testid="flow-row"][data-kind="rtcp"]');
  await expect(rtcpRows).toHaveCount(readTsv("gst-rtcp-loss.rtcp.tsv").length);
  await expect(rtcpRows.first().getByTestId("flow-direction")).not.toContainText(":5060");
  await expect(page.getByTestId("call-setup")).toHaveText(/^\d[\d,]*\.\d{3} ms$/);
  await expect(page.getByTestId("post-dial-delay")).toHaveText(/ms$/);
});

test("QoS: per stream, two labelled sources, the MOS model named, a chart", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${ids.rtcpCall}?tab=qos`);
  // QoS: both sources labelled, per stream; the model named; a chart with a text alternative.
  const qos = await openTab(page, "QoS");
  await expect(qos.getByTestId("mos-model")).toContainText("ITU-T G.107 E-model (simplified)");
  const streams = qos.getByTestId("qos-stream");
  const theirs = readRtpStreams("gst-rtcp-loss.rtp-streams.txt");
  await expect(streams).toHaveCount(theirs.length);
  await streams.nth(1).getByTestId("qos-stream-summary").click(); // expandable IP connection rows
  const rtcp = readTsv("gst-rtcp-loss.rtcp.tsv");
  for (const i of [0, 1]) {
    const s = streams.nth(i);
    await expect(s.getByRole("heading", { name: "Reported by endpoints (RTCP)" })).toBeVisible();
    await expect(s.getByRole("heading", { name: "Measured from the capture (RFC 3550)" })).toBeVisible();
    // One compact table per stream: the spec's figures as rows (its order, then the extra two), Min /
    // Avg / Max as columns, the unit said once in the row's header.
    const table = s.getByTestId("qos-rtcp").getByRole("table");
    await expect(table.locator("thead th")).toHaveText(["Metric", "Min", "Avg", "Max", "Reports"]);
    expect(
      await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-metric"))),
    ).toEqual(QOS_GROUPS);
    await expect(table.locator('[data-metric="IA (Inter Arrival) Jitter"] th')).toContainText("(ms)");
    await expect(table.locator('[data-metric="Fraction lost (since the previous report)"] th')).toContainText(
      "(%)",
    );
    await expect(table.getByTestId("mos-band")).toHaveText(
      /^Avg: (Very satisfied|Satisfied|Some users dissatisfied|Many users dissatisfied|Nearly all users dissatisfied|Not recommended)$/,
    );
    await expect(s.getByTestId("qos-first-packet")).toHaveText(/^\d\d:\d\d:\d\d\.\d{6} UTC$/);
    // LSR: the raw field of the other party's report blocks about this stream (tshark's reading).
    const ssrc = Number.parseInt(
      (await s.getByTestId("qos-stream-summary").textContent())?.match(/SSRC (0x[0-9a-f]+)/)?.[1] ?? "",
      16,
    );
    const lsrs = rtcp
      .filter((r) => r["rtcp.ssrc.lsr"] !== "" && Number.parseInt(r["rtcp.senderssrc"] ?? "", 16) !== ssrc)
      .map((r) => Number(r["rtcp.ssrc.lsr"]));
    expect(lsrs).toHaveLength(1);
    const lsr = (lsrs[0] ?? 0).toLocaleString("en-US");
    await expect(table.locator('[data-metric="LSR (Last Sender Report)"] td[data-column]')).toHaveText([
      lsr,
      lsr,
      lsr,
    ]);
    // Small multiples: one panel per unit (never one shared 0–100 axis), MOS on 1–5 with its bands.
    const panels = s.getByTestId("qos-chart-panel");
    expect(await panels.evaluateAll((ps) => ps.map((p) => p.getAttribute("data-unit")))).toEqual([
      "ms",
      "%",
      "1–5",
    ]);
    await expect(s.getByRole("img", { name: /^Jitter \(ms\)/ })).toBeVisible();
    await expect(panels.nth(2).getByTestId("qos-chart-tick")).toHaveText(["1", "2", "3", "4", "5"]);
    await expect(s.getByTestId("qos-chart-bands")).toContainText("ITU-T G.109");
  }
  const packets = theirs.map((s) => String(s.packets));
  await expect(qos.getByTestId("qos-capture").first()).toContainText(new RegExp(packets.join("|")));
});

test("Agents: one section per join, quality restricted to each session", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${ids.rtcpCall}?tab=agents`);
  // Agents: one section per join; the supervisor joined after the reports went by.
  const agents = await openTab(page, "Agents");
  const sessions = agents.getByTestId("agent-session");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.nth(0)).toContainText("Alex Agent");
  await expect(sessions.nth(0)).toContainText("Customer Hangup");
  await expect(sessions.nth(0).getByTestId("stat-MOS")).toBeVisible();
  // The same table as the QoS tab's: Min / Avg / Max columns, the MOS band named, times with their zone.
  await expect(sessions.nth(0).locator("thead th")).toHaveText(["Metric", "Min", "Avg", "Max", "Reports"]);
  await expect(sessions.nth(0).getByTestId("mos-band")).toHaveText(/^Avg: /);
  await expect(sessions.nth(0).getByTestId("agent-time").first()).toHaveText(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/,
  );
  await expect(sessions.nth(1)).toContainText("Sam Supervisor");
  await expect(sessions.nth(1).getByTestId("agent-no-rtcp")).toHaveText(
    "No RTCP received during this session",
  );
});

test("Export PCAP (re-read by tshark) and Export TEXT", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${ids.rtcpCall}`);
  const [pcap] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export PCAP" }).click(),
  ]);
  expect(pcap.suggestedFilename()).toBe(`diagnostics-${ids.rtcpCall}.pcap`);
  const pcapPath = await pcap.path();
  const streams = execFileSync("tshark", ["-r", pcapPath, "-q", "-z", "rtp,streams"], { encoding: "utf8" });
  for (const s of readRtpStreams("gst-rtcp-loss.rtp-streams.txt")) {
    expect(streams).toMatch(
      new RegExp(
        `0x${s.ssrc.toString(16).toUpperCase().padStart(8, "0")}\\s+g711U\\s+${s.packets}\\s+${s.lost} `,
      ),
    );
  }
  const [text] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export TEXT" }).click(),
  ]);
  expect(text.suggestedFilename()).toBe(`diagnostics-${ids.rtcpCall}.txt`);
  const body = readFileSync(await text.path(), "utf8");
  expect(body).toMatch(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} 127\.0\.0\.1:5061 → 127\.0\.0\.1:5060 SIP\/UDP/m,
  );
  expect(body).toContain("INVITE sip:");
});

test('a call without RTCP shows "No RTCP received"; a chat has no Diagnostics', async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${ids.echoCall}?tab=qos`);
  const qos = page.getByRole("tabpanel", { name: "QoS", exact: true });
  await expect(qos.getByTestId("no-rtcp").first()).toHaveText("No RTCP received");
  await expect(qos.getByTestId("qos-capture").first()).toBeVisible();

  await page.goto(`/conversations?open=${ids.chat}`);
  const panel = page.getByTestId("insights-panel");
  await expect(panel.getByRole("heading", { name: "Insights to Logs" })).toBeVisible();
  await expect(panel.getByRole("link", { name: "Diagnostics" })).toHaveCount(0);
  const res = await page.goto(`/diagnostics/${ids.chat}`);
  expect(res?.status()).toBe(404);
});

const QOS_GROUPS = [
  "Packets",
  "Octets",
  "Highest_Seq_No",
  "IA (Inter Arrival) Jitter",
  "LSR (Last Sender Report)",
  "MOS (Mean Opinion Score)",
  "Packets_Lost",
  "Fraction lost (since the previous report)",
  "Round-trip time (from LSR and DLSR)",
];

const p90Values = async (page: Page) =>
  (await page.getByTestId("e2e-p90-cell").allTextContents()).map((t) => Number(t.replace(/[^\d-]/g, "")));

test("End-to-End p90 is a sortable list column, slowest first", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.getByRole("link", { name: /^E2E p90/ }).click();
  await expect(page).toHaveURL(/sort=e2e_p90_desc/);
  await expect(page.getByRole("columnheader", { name: /E2E p90/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  const slowest = await p90Values(page);
  expect(slowest.length).toBeGreaterThan(5);
  expect(slowest).toEqual([...slowest].sort((a, b) => b - a));
  // The header's link turns the order around.
  await expect(page.getByRole("link", { name: /^E2E p90/ })).toHaveAttribute("href", /sort=e2e_p90_asc/);
});

test("End-to-End p90 fastest first, and filtered by a minimum", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto("/conversations?sort=e2e_p90_asc");
  const fastest = await p90Values(page);
  expect(fastest.length).toBeGreaterThan(5);
  expect(fastest).toEqual([...fastest].sort((a, b) => a - b));
  const threshold = fastest.at(-5) ?? 0;
  const filter = page.getByLabel("E2E p90 ≥");
  // Enter applies it once the page is interactive (hydrated): retried until then.
  await expect(async () => {
    await filter.fill(String(threshold));
    await filter.press("Enter");
    await expect(page).toHaveURL(new RegExp(`e2eP90Min=${threshold}`), { timeout: 2000 });
  }).toPass();
  // Every row left reaches the threshold.
  await expect.poll(async () => (await p90Values(page)).every((v) => v >= threshold)).toBe(true);
});

test("latency values in the transcript show their formula on hover and keyboard focus", async ({ page }) => {
  test.setTimeout(60_000); // the panel of a long call hydrates slowly on a busy machine
  const db = e2eDb();
  let id: string;
  try {
    const row = await db
      .selectFrom("conversations as c")
      .select("c.id")
      .where("c.channel", "=", "voice")
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom("latency_turns as lt")
            .select("lt.id")
            .whereRef("lt.conversation_id", "=", "c.id")
            .where("lt.message_id", "is not", null)
            .where("lt.asr_transcript_at", "is not", null),
        ),
      )
      .orderBy("c.started_at", "desc")
      .executeTakeFirstOrThrow();
    id = row.id;
  } finally {
    await db.destroy();
  }
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/conversations?open=${id}`);
  const panel = page.getByTestId("insights-panel");
  const asr = panel.getByTestId("latency-asrMs").first().getByText("ASR", { exact: true });
  const tooltip = await hoverForTooltip(asr);
  await expect(tooltip).toHaveText("ASR Latency = User stops speaking → ASR returns full transcript");
  // Keyboard users reach the formulas too: Tab from one name to the next opens that one's formula.
  await asr.focus();
  await page.keyboard.press("Tab");
  await expect(panel.getByTestId("latency-botMs").first().getByText("Bot", { exact: true })).toBeFocused();
  await expect(tooltip).toHaveText("Bot Latency = VG sends transcript → VG receives bot response");
});
