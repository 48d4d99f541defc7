import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { createApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { CLIENT_ADDRESS_HEADER } from "../../lib/security/client-address.ts";
import {
  AUTH_FAILURE_LIMIT,
  AUTH_WINDOW_SECONDS,
  recordAuthFailure,
  retryAfterSeconds,
} from "../../lib/security/throttle.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// Guessing API keys: after AUTH_FAILURE_LIMIT failures an address gets 429 with Retry-After, even
// with a right key, while other addresses are unaffected. The count lives in PostgreSQL, so every
// web process shares it.

let t: TestDatabase;
let GET: (request: Request) => Promise<Response>;
let key: string;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  GET = (await import("../../app/api/v1/conversations/route.ts")).GET;
  key = (await createApiKey(t.db, systemActor, { name: "reader", scopes: ["read"] })).token;
});
afterAll(async () => {
  await (globalThis as { parleyDb?: Database }).parleyDb?.destroy();
  await t.drop();
});

const call = (token: string, address: string) =>
  GET(
    new Request("http://parley.test/api/v1/conversations", {
      headers: { authorization: `Bearer ${token}`, [CLIENT_ADDRESS_HEADER]: address },
    }),
  );

it("answers 429 with Retry-After once an address has failed too often", async () => {
  for (let i = 0; i < AUTH_FAILURE_LIMIT; i++)
    expect((await call("pk_wrong", "198.51.100.5")).status).toBe(401);
  const limited = await call("pk_wrong", "198.51.100.5");
  expect(limited.status).toBe(429);
  const wait = Number(limited.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(AUTH_WINDOW_SECONDS);
  expect((await call(key, "198.51.100.5")).status).toBe(429);
  expect((await call("pk_wrong", "198.51.100.6")).status).toBe(401);
  expect((await call(key, "198.51.100.6")).status).toBe(200);
});

it("answers a sign-in from an address with too many refused sign-ins 429, before next-auth runs", async () => {
  const { POST: signIn } = await import("../../app/api/auth/[...nextauth]/route.ts");
  for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) await recordAuthFailure(t.db, "sign-in", "198.51.100.9");
  const res = await signIn(
    new Request("http://parley.test/api/auth/callback/demo", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        [CLIENT_ADDRESS_HEADER]: "198.51.100.9",
      },
      body: "userId=00000000-0000-4000-8000-000000000000",
    }),
    { params: Promise.resolve({ nextauth: ["callback", "demo"] }) },
  );
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  // Another address is not held up by it.
  expect(await retryAfterSeconds(t.db, "sign-in", "198.51.100.10")).toBeNull();
});
