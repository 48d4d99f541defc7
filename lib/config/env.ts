import path from "node:path";
import { z } from "zod";

// One schema for every environment variable Parley reads; the README's configuration table mirrors it.
const flag = z
  .enum(["0", "1", "true", "false"])
  .transform((v) => v === "1" || v === "true")
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PARLEY_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().url().optional(),
  PARLEY_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  PARLEY_DEMO_LOGIN: flag,
  AUTH_SECRET: z.string().min(16).optional(),
  AUTH_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function dataDir(env: Env = readEnv()): string {
  return path.resolve(env.PARLEY_DATA_DIR);
}

export function blobDir(env: Env = readEnv()): string {
  return path.join(dataDir(env), "blobs");
}

/** True when an SSO provider is configured; demo sign-in follows it unless PARLEY_DEMO_LOGIN overrides. */
export function ssoConfigured(env: Env = readEnv()): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID);
}

export function demoLoginEnabled(env: Env = readEnv()): boolean {
  return env.PARLEY_DEMO_LOGIN ?? !ssoConfigured(env);
}
