import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseHepListen } from "./hep-listen.ts";

// One schema for every environment variable Parley reads; the README's configuration table mirrors it.
const flag = z
  .enum(["0", "1", "true", "false"])
  .transform((v) => v === "1" || v === "true")
  .optional();

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    // The address the web process listens on (listenHost decides when unset).
    HOST: z.string().min(1).optional(),
    PARLEY_DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: z.string().url().optional(),
    PARLEY_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    // A streaming replica for the list, search and read-API queries (lib/db-read.ts).
    DATABASE_READ_URL: z.string().url().optional(),
    // Prometheus: the bearer token /api/metrics (and the worker's metrics port) require; off without it.
    PARLEY_METRICS_TOKEN: z.string().min(16).optional(),
    PARLEY_WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    PARLEY_LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
    PARLEY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    PARLEY_DEMO_LOGIN: flag,
    AUTH_SECRET: z.string().min(16).optional(),
    AUTH_URL: z.string().url().optional(),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    // SSO role mapping, applied when a user is provisioned on first sign-in: the claim holding the
    // user's groups, "group=role" pairs (first match in admin → supervisor → agent order wins),
    // and the role for users in none of the groups.
    OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
    OIDC_ROLE_MAP: z
      .string()
      .default("parley-admins=admin,parley-supervisors=supervisor,parley-agents=agent")
      .transform((value, ctx) => {
        const map = new Map<string, "admin" | "supervisor" | "agent">();
        for (const pair of value
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [group, role] = pair.split("=").map((p) => p.trim());
          if (!group || (role !== "admin" && role !== "supervisor" && role !== "agent")) {
            ctx.addIssue({ code: "custom", message: `"${pair}" is not group=admin|supervisor|agent` });
            return z.NEVER;
          }
          map.set(group, role);
        }
        return map;
      }),
    OIDC_DEFAULT_ROLE: z.enum(["admin", "supervisor", "agent"]).default("agent"),
    // The recording server the worker fetches call audio from (lib/recordings/source.ts validates them).
    RECORDING_SOURCE_URL: z.string().optional(),
    RECORDING_SOURCE_AUTH_HEADER: z.string().optional(),
    RECORDING_SOURCE_ALLOWED_HOSTS: z.string().optional(),
    RECORDING_FETCH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Outgoing mail (recording deletion notices); without it, mail waits in the admin Outbox.
    SMTP_URL: z.string().url().optional(),
    SMTP_FROM: z.string().min(3).default("Parley <parley@localhost>"),
    // The contact-center platform that carries out supervisor actions (lib/platform): Parley POSTs
    // each action there, signed with the secret. Without a URL, `npm start` runs a simulated platform.
    PLATFORM_WEBHOOK_URL: z.string().url().optional(),
    PLATFORM_WEBHOOK_SECRET: z.string().min(16).optional(),
    // Outgoing webhooks (lib/webhooks) go to public addresses only, unless the host is listed here.
    WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
    // The capture parser's worker thread (lib/diagnostics/parse-in-thread.ts): past either limit a
    // capture fails with the reason instead of stalling or crashing the worker.
    CAPTURE_PARSE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    CAPTURE_PARSE_MEMORY_MB: z.coerce.number().int().min(64).max(16384).default(1024),
    // Live capture over HEP v3 (lib/diagnostics/hep/): off unless HEP_LISTEN names where to listen.
    HEP_LISTEN: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        try {
          if (value) parseHepListen(value);
        } catch (err) {
          ctx.addIssue({ code: "custom", message: (err as Error).message });
        }
      }),
    HEP_SECRET: z.string().min(1).optional(),
    HEP_ALLOW: z.string().optional(),
    HEP_HOLD_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Where files are kept (lib/storage): a folder (default PARLEY_DATA_DIR/blobs) or
    // s3://bucket/prefix for S3-compatible object storage, with the standard AWS_* variables and,
    // for MinIO/Ceph/R2-style servers, PARLEY_S3_ENDPOINT (addressed path-style).
    PARLEY_BLOB_URL: z
      .string()
      .refine((v) => blobLocation(v) !== null, {
        message: "Expected s3://bucket[/prefix], file:///absolute/path or an absolute folder path",
      })
      .optional(),
    PARLEY_S3_ENDPOINT: z.string().url().optional(),
    PARLEY_S3_FORCE_PATH_STYLE: flag,
    AWS_REGION: z.string().min(1).optional(),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().min(1).optional(),
    // Downloads (recording files, screen recordings, exports) answer a redirect to a presigned URL
    // valid this many seconds, so the bytes flow from the object store, not through Parley.
    // 0 (default): Parley streams them itself. Only with S3 storage.
    PARLEY_BLOB_PRESIGN_SECONDS: z.coerce.number().int().min(0).max(3600).default(0),
  })
  .refine((env) => !env.AWS_ACCESS_KEY_ID === !env.AWS_SECRET_ACCESS_KEY, {
    path: ["AWS_SECRET_ACCESS_KEY"],
    message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together",
  })
  .refine((env) => !env.PLATFORM_WEBHOOK_URL || env.PLATFORM_WEBHOOK_SECRET, {
    path: ["PLATFORM_WEBHOOK_SECRET"],
    message: "Required when PLATFORM_WEBHOOK_URL is set (the webhook is always signed)",
  });

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable (`OIDC_ISSUER=`) means "not set", as in most tools.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function dataDir(env: Env = readEnv()): string {
  return path.resolve(env.PARLEY_DATA_DIR);
}

export type BlobLocation = { kind: "folder"; dir: string } | { kind: "s3"; bucket: string; prefix: string };

/** PARLEY_BLOB_URL read: a folder or an S3 bucket and prefix; null when it is neither. */
export function blobLocation(value: string): BlobLocation | null {
  if (value.startsWith("s3://")) {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/([A-Za-z0-9._/-]*))?$/.exec(value);
    if (!m?.[1]) return null;
    return { kind: "s3", bucket: m[1], prefix: (m[2] ?? "").replace(/^\/+|\/+$/g, "") };
  }
  if (value.startsWith("file://")) {
    try {
      return { kind: "folder", dir: fileURLToPath(value) };
    } catch {
      return null;
    }
  }
  return path.isAbsolute(value) ? { kind: "folder", dir: value } : null;
}

/** Where blobs are kept: PARLEY_BLOB_URL, or the folder PARLEY_DATA_DIR/blobs. */
export function blobStorage(env: Env = readEnv()): BlobLocation {
  const configured = env.PARLEY_BLOB_URL ? blobLocation(env.PARLEY_BLOB_URL) : null;
  return configured ?? { kind: "folder", dir: path.join(dataDir(env), "blobs") };
}

/** True when an SSO provider is configured; demo sign-in follows it unless PARLEY_DEMO_LOGIN overrides. */
export function ssoConfigured(env: Env = readEnv()): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID);
}

/**
 * The password-less demo sign-in: forced by PARLEY_DEMO_LOGIN; otherwise on without SSO, but never
 * in production unless explicitly enabled (`npm start` enables it for its embedded demo database).
 */
export function demoLoginEnabled(env: Env = readEnv()): boolean {
  if (env.PARLEY_DEMO_LOGIN !== undefined) return env.PARLEY_DEMO_LOGIN;
  return env.NODE_ENV !== "production" && !ssoConfigured(env);
}

/**
 * The address the web process binds: HOST when the operator set it; otherwise loopback only while
 * the password-less demo sign-in is on (anyone who can reach it could sign in as an admin), and
 * every interface when it is off.
 */
export function listenHost(env: Env = readEnv()): { host: string; reason: string } {
  if (env.HOST) return { host: env.HOST, reason: "HOST" };
  if (demoLoginEnabled(env)) {
    return {
      host: "127.0.0.1",
      reason:
        "demo sign-in is on, so only this machine can reach it; set HOST=0.0.0.0 to listen on every interface",
    };
  }
  return { host: "0.0.0.0", reason: "every interface" };
}
