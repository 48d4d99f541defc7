import { defineConfig, devices } from "@playwright/test";

// The e2e suite runs against the real thing: `npm start` on a fresh data folder (embedded
// PostgreSQL, migrations, demo data, production build, web + worker), driven in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium keeps dialling out on this closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `rm -rf .data/e2e && "${process.execPath}" scripts/start.ts`,
    url: `${baseURL}/api/health`,
    env: {
      PORT: String(port),
      PARLEY_DATA_DIR: ".data/e2e",
      PARLEY_PG_PORT: "54341",
      PARLEY_DEMO_LOGIN: "1",
    },
    timeout: 600_000, // includes `next build` on a clean checkout
    reuseExistingServer: false,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
