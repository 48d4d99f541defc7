import { defineConfig, devices } from "@playwright/test";

// The e2e suite runs against the real thing: `npm start` on a fresh data folder (embedded
// PostgreSQL, migrations, demo data, production build, web + worker), driven in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// A second instance signs in through a real OpenID Connect provider (tests/e2e/sso.spec.ts).
const ssoPort = port + 1;
const oidcPort = port + 90;
export const ssoBaseURL = `http://localhost:${ssoPort}`;
// Several runs can share a machine when each sets its own E2E_PORT: ports and folders follow it.
export const e2ePgPort = 54341 + (port - 3100) * 2;
const dataDir = `.data/e2e-${port}`;
/** The e2e app's blob store, where fixtures put files the app serves. */
export const e2eBlobDir = `${dataDir}/blobs`;
// E2E_REUSE=1 runs against servers already up on these ports (started by hand, for quick reruns).
const reuseExistingServer = process.env.E2E_REUSE === "1";
const start = (dir: string) => `rm -rf ${dir} && "${process.execPath}" scripts/start.ts`;

const SETTINGS_SPECS: [RegExp, RegExp, RegExp] = [
  /admin\.spec\.ts$/,
  /insights-panel\.spec\.ts$/,
  /exports-permission\.spec\.ts$/,
];

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000, // a 2-core machine runs the app, its worker, PostgreSQL and two browsers at once
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
  // Specs that change shared state run after the others, one project at a time: the live test adds
  // the newest conversation; admin and panel specs switch instance-wide settings (masking, time format).
  projects: [
    { name: "main", testIgnore: SETTINGS_SPECS, grepInvert: /@live/ },
    // Adds a conversation on top of the list: after the specs that read rows by position.
    { name: "live", grep: /@live/, dependencies: ["main"] },
    { name: "admin-settings", testMatch: SETTINGS_SPECS[0], dependencies: ["live"] },
    { name: "panel-settings", testMatch: SETTINGS_SPECS[1], dependencies: ["admin-settings"] },
    { name: "exports-settings", testMatch: SETTINGS_SPECS[2], dependencies: ["panel-settings"] },
  ],
  // Started one after the other: the first start builds the app, the second reuses the build.
  webServer: [
    {
      command: start(dataDir),
      url: `${baseURL}/api/health`,
      env: {
        PORT: String(port),
        PARLEY_DATA_DIR: dataDir,
        PARLEY_PG_PORT: String(e2ePgPort),
        PARLEY_DEMO_LOGIN: "1",
        // A recording server that can never be reached (fetch refuses the discard port outright),
        // instead of the simulated platform's: recordings.spec.ts needs a Retry that fails.
        RECORDING_SOURCE_URL: "http://127.0.0.1:9/recordings/{callId}/{leg}.wav",
      },
      timeout: 600_000, // includes `next build` on a clean checkout
      reuseExistingServer,
      stdout: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    },
    {
      command: `"${process.execPath}" tests/e2e/support/oidc-server.ts`,
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      env: { OIDC_PORT: String(oidcPort), APP_URL: ssoBaseURL },
      reuseExistingServer,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: start(`${dataDir}-sso`),
      url: `${ssoBaseURL}/api/health`,
      env: {
        PORT: String(ssoPort),
        PARLEY_DATA_DIR: `${dataDir}-sso`,
        PARLEY_PG_PORT: String(e2ePgPort + 1),
        AUTH_URL: ssoBaseURL,
        OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        OIDC_CLIENT_ID: "parley-e2e",
        OIDC_CLIENT_SECRET: "parley-e2e-secret",
      },
      timeout: 600_000,
      reuseExistingServer,
      stdout: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    },
  ],
});
