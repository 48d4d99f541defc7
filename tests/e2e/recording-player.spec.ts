import { execFileSync } from "node:child_process";
import { type Download, expect, type Page, test } from "@playwright/test";
import { PLAYBACK_FAILED } from "../../lib/recordings/states.ts";
import { formatClock } from "../../lib/recordings/timeline.ts";
import { e2eDb } from "./support/db.ts";
import { PREPARE_WAIT_MS, recordedCalls } from "./support/recordings.ts";
import { hoverForTooltip, hydrated, signInAs } from "./support/session.ts";

// The call recording player and downloads on seeded calls whose media the worker prepared, and
// the screen recording download. Everything is driven through the UI; the audio element's state is
// read to check what the controls did.

// Pages with a player do more work than most; the machine may be shared with other runs.
test.describe.configure({ timeout: 120_000 });

type Calls = Awaited<ReturnType<typeof recordedCalls>>;
let calls: Calls;
let durationMs: number;

test.beforeAll(async () => {
  test.setTimeout(PREPARE_WAIT_MS + 30_000);
  const db = e2eDb();
  try {
    calls = await recordedCalls(db);
    const row = await db
      .selectFrom("recordings")
      .select("duration_ms")
      .where("id", "=", calls.other.recordingId)
      .executeTakeFirstOrThrow();
    durationMs = row.duration_ms ?? 0;
  } finally {
    await db.destroy();
  }
});

const audioState = (page: Page) =>
  page.getByTestId("recording-audio").evaluate((el: HTMLAudioElement) => ({
    paused: el.paused,
    time: el.currentTime,
    rate: el.playbackRate,
    muted: el.muted,
    volume: el.volume,
  }));

async function openPlayer(page: Page, conversationId: string) {
  await page.goto(`/conversations?open=${conversationId}`);
  const player = page.getByTestId("recording-player");
  await expect(player.getByTestId("recording-waveform")).toBeVisible({ timeout: 60_000 });
  return player;
}

test("a supervisor plays a recording: total duration, play, ±10 s, speed, volume and mute", async ({
  page,
}) => {
  await signInAs(page, "Sam Supervisor");
  const player = await openPlayer(page, calls.other.conversationId);
  // Before playback: the total duration only.
  await expect(player.getByTestId("recording-total")).toHaveText(formatClock(durationMs));

  await player.getByRole("button", { name: "Play" }).click();
  await expect(player.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect.poll(async () => (await audioState(page)).time).toBeGreaterThan(0.3);
  // During playback: elapsed and countdown.
  await expect(player.getByTestId("recording-elapsed")).toBeVisible();
  await expect(player.getByTestId("recording-remaining")).toHaveText(/^-\d+:\d\d$/);
  await player.getByRole("button", { name: "Pause" }).click();
  await expect.poll(async () => (await audioState(page)).paused).toBe(true);

  const before = (await audioState(page)).time;
  await player.getByRole("button", { name: "Forward 10 seconds" }).click();
  await expect.poll(async () => (await audioState(page)).time).toBeCloseTo(before + 10, 0);
  await expect(player.getByTestId("recording-elapsed")).toHaveText(formatClock((before + 10) * 1000));
  await player.getByRole("button", { name: "Rewind 10 seconds" }).click();
  await expect.poll(async () => (await audioState(page)).time).toBeCloseTo(before, 0);

  await player.getByLabel("Playback speed").selectOption("1.5");
  expect((await audioState(page)).rate).toBe(1.5);

  await player.getByRole("slider", { name: "Volume" }).focus();
  await page.keyboard.press("Home");
  await expect.poll(async () => (await audioState(page)).volume).toBe(0);
  await page.keyboard.press("End");
  await expect.poll(async () => (await audioState(page)).volume).toBe(1);

  const mute = player.getByRole("button", { name: "Mute" });
  await mute.click();
  await expect(mute).toHaveAttribute("aria-pressed", "true");
  expect((await audioState(page)).muted).toBe(true);
  await mute.click();
  expect((await audioState(page)).muted).toBe(false);
});

/**
 * Contrast of every coloured mark of the waveform (bars, latency marks, the play line) against the
 * background the player sits on, from the colours the browser computed: each colour and background
 * is resolved to sRGB through a canvas (so oklch and alpha are handled as painted), translucent
 * backgrounds are composited up to the first opaque one, then WCAG's relative luminance ratio.
 */
async function waveformContrasts(page: Page): Promise<{ color: string; ratio: number }[]> {
  return page.getByTestId("recording-waveform").evaluate((wave) => {
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;
    const rgba = (css: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "rgba(0, 0, 0, 0)";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top: number[], under: number[]) =>
      [0, 1, 2].map((i) => (top[i] ?? 0) * (top[3] ?? 0) + (under[i] ?? 0) * (1 - (top[3] ?? 0)));
    const layers: [number, number, number, number][] = [];
    for (let el: Element | null = wave; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 0.999) break;
    }
    let bg = [255, 255, 255];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const seen = new Map<string, number>();
    for (const el of wave.querySelectorAll("svg rect:not([data-area]), svg line")) {
      const style = getComputedStyle(el);
      const paint = el.tagName === "line" ? style.stroke : style.fill;
      const c = rgba(paint);
      const opacity =
        Number(style.opacity) * Number(el.tagName === "line" ? style.strokeOpacity : style.fillOpacity);
      const shown = over([c[0], c[1], c[2], c[3] * opacity], bg);
      const [hi, lo] = [lum(shown), lum(bg)].sort((a, b) => b - a);
      seen.set(`${paint} x${opacity}`, ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05));
    }
    return [...seen].map(([color, ratio]) => ({ color, ratio: Math.round(ratio * 100) / 100 }));
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the waveform reads in the ${colorScheme} theme: 3:1 contrast, a legend and a time axis`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await signInAs(page, "Sam Supervisor");
    const player = await openPlayer(page, calls.other.conversationId);
    await expect(player.getByTestId("waveform-legend")).toContainText("Customer");
    await expect(player.getByTestId("waveform-legend")).toContainText("Agent");
    await expect(player.getByTestId("legend-latency")).toContainText("latency");
    const ticks = player.getByTestId("waveform-tick");
    await expect(ticks.first()).toHaveText("0:00");
    expect(await ticks.count()).toBeGreaterThanOrEqual(2);
    const contrasts = await waveformContrasts(page);
    expect(contrasts.length).toBeGreaterThan(2);
    expect(contrasts.filter((c) => c.ratio < 3)).toEqual([]);
  });
}

test("starting playback moves nothing in the player", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  const player = await openPlayer(page, calls.other.conversationId);
  // Boxes relative to the player's own corner (clicking may scroll the page), and the player's size.
  const boxes = async () => {
    const all = await Promise.all([
      player.boundingBox(),
      player.getByTestId("recording-waveform").boundingBox(),
      player.getByLabel("Playback speed").boundingBox(),
      player.getByRole("button", { name: /^(Play|Pause)$/ }).boundingBox(),
      player
        .locator("[data-testid=recording-total], [data-testid=recording-elapsed]")
        .locator("xpath=../..")
        .boundingBox(),
    ]);
    const [origin] = all;
    return all.map(
      (b) => b && origin && { x: b.x - origin.x, y: b.y - origin.y, width: b.width, height: b.height },
    );
  };
  const before = await boxes();
  await player.getByRole("button", { name: "Play" }).click();
  await expect(player.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(player.getByTestId("recording-elapsed")).toBeVisible();
  await expect.poll(async () => (await audioState(page)).time).toBeGreaterThan(0.3);
  expect(await boxes()).toEqual(before);
  await player.getByRole("button", { name: "Pause" }).click();
});

test("clicking a transcript line plays from there and marks the line being heard", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  const player = await openPlayer(page, calls.other.conversationId);
  const panel = page.getByTestId("insights-panel");
  const line = panel.getByTestId("transcript-message").nth(2);
  await line.getByRole("button", { name: /^Play the recording from/ }).click();
  await expect(player.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(line).toHaveAttribute("aria-current", "true");
});

test("both downloads are FLAC: one merged file, or the legs picked", async ({ page }, testInfo) => {
  await signInAs(page, "Sam Supervisor");
  const player = await openPlayer(page, calls.other.conversationId);

  await player.getByRole("button", { name: "Download" }).click();
  let downloading = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: "Download as a single file" }).click();
  const single = await downloading;
  expect(single.suggestedFilename()).toBe(`recording-${calls.other.conversationId}.flac`);
  const singlePath = testInfo.outputPath("single.flac");
  await single.saveAs(singlePath);
  expect(probe(singlePath)).toMatchObject({ codec_name: "flac", channels: 2, sample_fmt: "s16" });

  await player.getByRole("button", { name: "Download" }).click();
  await page.getByRole("menuitem", { name: "Download as separate files" }).click();
  const dialog = page.getByRole("dialog", { name: "Download as separate files" });
  const legs = dialog.getByRole("checkbox");
  await expect(legs).toHaveCount(2);
  await legs.first().click(); // unpick the first leg: only the second downloads
  downloading = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  const leg = await downloading;
  expect(leg.suggestedFilename()).toMatch(
    new RegExp(`^recording-${calls.other.conversationId}-leg-2-.+\\.flac$`),
  );
  const legPath = testInfo.outputPath("leg.flac");
  await leg.saveAs(legPath);
  expect(probe(legPath)).toMatchObject({ codec_name: "flac", channels: 1 });

  // Both legs: two downloads, and the files stay listed for a browser that held one back.
  await player.getByRole("button", { name: "Download" }).click();
  await page.getByRole("menuitem", { name: "Download as separate files" }).click();
  await legs.first().click(); // picked again
  const names: string[] = [];
  const collect = (d: Download) => names.push(d.suggestedFilename());
  page.on("download", collect);
  await dialog.getByRole("button", { name: "Download" }).click();
  const list = page.getByTestId("recording-download-links");
  await expect(list.getByRole("link")).toHaveText([/^Leg 1 — /, /^Leg 2 — /]);
  await expect.poll(() => names.length).toBe(2);
  page.off("download", collect);
  expect(names.map((n) => n.replace(/-leg-(\d)-.+$/, "-leg-$1")).sort()).toEqual([
    `recording-${calls.other.conversationId}-leg-1`,
    `recording-${calls.other.conversationId}-leg-2`,
  ]);
  downloading = page.waitForEvent("download");
  await list.getByRole("link").first().click();
  expect((await downloading).suggestedFilename()).toMatch(/-leg-1-.+\.flac$/);
  await list.getByRole("button", { name: "Dismiss the file list" }).click();
  await expect(list).toHaveCount(0);
});

test("audio that cannot be played says so instead of a Play button that does nothing", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  // The stream breaks (a proxy, a lost file): the element's error, or play() refused.
  await page.route("**/recording/audio", (route) => route.fulfill({ status: 500, body: "" }));
  const player = await openPlayer(page, calls.other.conversationId);
  const alert = player.getByRole("alert");
  await expect(async () => {
    await player.getByRole("button", { name: "Play" }).click();
    await expect(alert).toHaveText(PLAYBACK_FAILED, { timeout: 2000 });
  }).toPass();
});

test("a call's row downloads its recording (the merged FLAC); a chat's row says only calls have recordings", async ({
  page,
}) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/conversations?ids=${calls.other.conversationId}`);
  const row = page.getByTestId("conversation-row");
  await expect(row).toHaveCount(1);
  const downloading = page.waitForEvent("download");
  // Retried: right after the navigation the menu may not be hydrated yet.
  await expect(async () => {
    await page.keyboard.press("Escape");
    await row.getByRole("button", { name: /^Actions for / }).click();
    await page.getByRole("menuitem", { name: "Download recordings" }).click({ timeout: 2000 });
  }).toPass();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(`recording-${calls.other.conversationId}.flac`);
  const saved = test.info().outputPath("row.flac");
  await file.saveAs(saved);
  expect(probe(saved)).toMatchObject({ codec_name: "flac", channels: 2 });

  await page.goto("/conversations?channel=chat");
  await page
    .getByTestId("conversation-row")
    .first()
    .getByRole("button", { name: /^Actions for / })
    .click();
  const item = page.getByRole("menuitem", { name: "Download recordings" });
  await expect(item).toHaveAttribute("aria-disabled", "true");
  await hoverForTooltip(item, /^Only calls have recordings$/);
});

test("an agent plays their own recording but is refused another agent's recording and screen recording", async ({
  page,
}) => {
  await signInAs(page, "Alex Agent");
  await openPlayer(page, calls.own.conversationId);
  await expect(page.getByText("Screen recording is available for this interaction.")).toBeVisible();

  const other = calls.other.conversationId;
  for (const url of [
    `/api/conversations/${other}/recording/audio`,
    `/api/conversations/${other}/recording/peaks`,
    `/api/conversations/${other}/recording/files/merged.flac`,
    `/api/conversations/${other}/screen-recordings/${calls.other.agentId}`,
  ]) {
    expect((await page.request.get(url)).status(), url).toBe(404);
  }
  const own = await page.request.get(`/api/conversations/${calls.own.conversationId}/recording/audio`, {
    headers: { range: "bytes=0-3" },
  });
  expect(own.status()).toBe(206);
  expect((await own.body()).toString("latin1")).toBe("fLaC");
});

test("a supervisor downloads an agent's screen recording (WebM)", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/conversations?open=${calls.other.conversationId}`);
  await expect(page.getByText("Screen recording is available for this interaction.")).toBeVisible();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download screen recording" }).click();
  expect((await downloading).suggestedFilename()).toMatch(/\.webm$/);
});

function probe(file: string) {
  return JSON.parse(
    execFileSync("ffprobe", [
      "-v",
      "error",
      "-show_entries",
      "stream=codec_name,channels,sample_fmt",
      "-of",
      "json",
      file,
    ]).toString(),
  ).streams[0];
}

test("legal hold on a playable recording: the label changes at once, releasing asks first, both announced", async ({
  page,
}) => {
  await signInAs(page, "Sam Supervisor");
  await openPlayer(page, calls.other.conversationId);
  const hold = page.getByTestId("legal-hold");
  const announced = page.getByTestId("legal-hold-announcement");
  await expect(hold).toHaveText(/Place legal hold/);
  await (await hydrated(hold)).click();
  await expect(hold).toHaveText(/Release legal hold/);
  await expect(hold).toHaveAttribute("aria-pressed", "true");
  await expect(announced).toHaveText(/^Legal hold placed\./);

  // Releasing asks first; Cancel keeps the hold.
  await hold.click();
  await expect(
    page.getByText("Release the legal hold? Retention may then delete the recording."),
  ).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(hold).toHaveText(/Release legal hold/);
  await hold.click();
  await page.getByRole("button", { name: "Release", exact: true }).click();
  await expect(hold).toHaveText(/Place legal hold/);
  await expect(hold).toHaveAttribute("aria-pressed", "false");
  await expect(announced).toHaveText(/^Legal hold released\./);
  await page.reload();
  await expect(page.getByTestId("legal-hold")).toHaveText(/Place legal hold/); // stored, not just shown
});
