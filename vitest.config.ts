import { defineConfig } from "vitest/config";

/**
 * The integration tests that keep or read files. The "s3" project runs them a second time with every
 * blob store on an S3-compatible server (tests/helpers/s3-setup.ts): the same assertions, bytes read
 * back included, hold for the object store.
 */
const FILE_TESTS = [
  "tests/integration/uploads.test.ts",
  "tests/integration/recording-fetch.test.ts",
  "tests/integration/recording-media.test.ts",
  "tests/integration/recording-retention.test.ts",
  "tests/integration/exports-build.test.ts",
  "tests/integration/avatar-job.test.ts",
  "tests/integration/diagnostics-parse-capture.test.ts",
  "tests/integration/diagnostics-view.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    // One PostgreSQL for both projects (the root's global setup runs once per run).
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Database tests each get their own database cloned from a migrated template.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "default",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: ["node_modules/**", ".next/**", ".data/**", "tests/e2e/**"],
        },
      },
      {
        extends: true,
        test: { name: "s3", include: FILE_TESTS, globalSetup: ["tests/helpers/s3-setup.ts"] },
      },
    ],
  },
});
