import { defineConfig } from "vitest/config";

/**
 * Where a test lives says what it needs, and so which project runs it:
 * - "db": tests/integration/, against the test PostgreSQL; no child process, no socket listening.
 * - "process": tests/process/, which start processes (workers, scripts, tshark, ffmpeg, sngrep…)
 *   or servers on 127.0.0.1 (HTTP, SMTP, S3, the platform simulator).
 * - "unit": every other test (beside the code it tests; tests/e2e/ is Playwright's): no database, no
 *   child process, no socket listening; short timeouts and no PostgreSQL, so it takes seconds.
 * tests/helpers/project-guard.ts makes a unit or db test that does more fail with where it belongs.
 */
const GUARD = "tests/helpers/project-guard.ts";
const POSTGRES = "tests/helpers/global-setup.ts";

/**
 * The tests that keep or read files. The "s3" project runs them a second time with every blob store
 * on an S3-compatible server (tests/helpers/s3-setup.ts): the same assertions, bytes read back
 * included, hold for the object store.
 */
const FILE_TESTS = [
  "tests/integration/uploads.test.ts",
  "tests/process/recording-fetch.test.ts",
  "tests/process/recording-media.test.ts",
  "tests/process/recording-retention.test.ts",
  "tests/integration/exports-build.test.ts",
  "tests/integration/avatar-job.test.ts",
  "tests/integration/diagnostics-parse-capture.test.ts",
  "tests/process/diagnostics-view.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file in a fresh process; database tests each get their own database cloned from a
    // migrated template.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: [
            "node_modules/**",
            ".next/**",
            ".data/**",
            "tests/e2e/**",
            "tests/integration/**",
            "tests/process/**",
          ],
          setupFiles: [GUARD],
          provide: { testProject: "unit" },
          // Pure tests share threads (a fresh process per file was most of the run's time); a thread
          // only ever runs one project's files, so the guard's patches stay in the unit project.
          isolate: false,
          pool: "threads",
          testTimeout: 5_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["tests/integration/**/*.test.ts"],
          // One PostgreSQL for the run, shared by the projects that need it (global-setup.ts).
          globalSetup: [POSTGRES],
          setupFiles: [GUARD],
          provide: { testProject: "db" },
        },
      },
      {
        extends: true,
        test: { name: "process", include: ["tests/process/**/*.test.ts"], globalSetup: [POSTGRES] },
      },
      {
        extends: true,
        test: { name: "s3", include: FILE_TESTS, globalSetup: [POSTGRES, "tests/helpers/s3-setup.ts"] },
      },
    ],
  },
});
