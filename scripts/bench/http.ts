// npm run bench -- http [--users 10] [--duration 15 | --requests N] [--webs 1,2] [--port 0]
//                       [--conversations 1000000] [--pg-port 55210] [--dir /tmp/parley-bench-http] [--keep]
// End-to-end HTTP figures of the production build: N concurrent signed-in users (autocannon
// connections) on the Conversations list, a conversation opened in the list (the panel), a keyword
// search, and the read API, served by 1 and by 2 web processes (scripts/web.ts, what
// `npm run start:web` runs) on one database. Users sign in the real way (next-auth's CSRF token,
// then the demo provider's callback); a session made on web A is used on web B as well, so one
// AUTH_SECRET serving every process is part of what runs. With 2 processes the connections are
// split between them (what a round-robin load balancer does) and every response time goes into one
// distribution. Prints each page's weight (scripts/bench/page-weight.ts), p50/p95/p99, requests/s,
// response bytes and the load average before and after.
// Runs against DATABASE_URL (e.g. a copy of the 1M data set) or a scratch embedded PostgreSQL
// under --dir, loaded with --conversations when empty. Needs `next build`: an up-to-date .next is
// reused (`npm run bench -- smoke` runs it with a few requests per case on 300 conversations).
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "kysely";
import { createApiKey, revokeApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { buildIfNeeded } from "../next-build.ts";
import { type ChildServer, freePort, spawnWeb } from "../processes.ts";
import { datasetOptions, openBenchDatasetFrom } from "./dataset.ts";
import { pageWeight, WEIGHT_COLUMNS, weightCells } from "./page-weight.ts";
import { percentile, printTable } from "./stats.ts";

const log = (line: string) => console.log(`[bench] ${line}`);

export type HttpBenchOptions = {
  users: number;
  durationSeconds: number;
  /** A fixed number of requests per case instead of a duration (smoke: bounded work, not time). */
  requests?: number;
  webs: number[];
  firstPort: number;
  dataset: { conversations: string; "pg-port": string; dir: string; keep: boolean };
};

type Case = { name: string; path: string; headers: Record<string, string> };
type Outcome = {
  requests: number;
  errors: number;
  non2xx: number;
  bytes: number;
  latencies: number[];
  seconds: number;
};

/** Runs every case with each web-process count; false when a request failed or answered non-2xx. */
export async function runHttpBench(opts: HttpBenchOptions): Promise<boolean> {
  const loadAtStart = os.loadavg();
  buildIfNeeded(log);
  const dataset = await openBenchDatasetFrom("http", opts.dataset, log);
  const { db } = dataset;
  const webs: ChildServer[] = [];
  let keyId: string | undefined;
  let ok = true;
  try {
    await sql`analyze`.execute(db);
    const estimate = await sql<{ n: string }>`
      select reltuples::bigint::text as n from pg_class where oid = 'conversations'::regclass`.execute(db);
    const user = (email: string) =>
      db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const supervisor = await user("supervisor@parley.demo");
    const agent = await user("agent@parley.demo");
    const newest = await db
      .selectFrom("conversations")
      .select("id")
      .orderBy("started_at", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const key = await createApiKey(
      db,
      systemActor,
      { name: `bench http ${new Date().toISOString()}`, scopes: ["read"] },
      { userAgent: "parley-bench" },
    );
    keyId = key.id;

    const maxWebs = Math.max(...opts.webs);
    const secret = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const env = {
      DATABASE_URL: dataset.url,
      AUTH_SECRET: secret,
      PARLEY_DEMO_LOGIN: "1",
      PARLEY_DATA_DIR: path.join(os.tmpdir(), "parley-bench-http-data"),
    };
    for (let i = 0; i < maxWebs; i++) {
      webs.push(await spawnWeb(opts.firstPort ? opts.firstPort + i : await freePort(), env));
    }
    const [first] = webs as [ChildServer];
    const cookies = {
      supervisor: await signIn(first.url, supervisor.id),
      agent: await signIn(first.url, agent.id),
    };
    const cases: Case[] = [
      { name: "list (supervisor)", path: "/conversations", headers: { cookie: cookies.supervisor } },
      { name: "list (agent)", path: "/conversations", headers: { cookie: cookies.agent } },
      {
        name: "panel (supervisor)",
        path: `/conversations?open=${newest.id}`,
        headers: { cookie: cookies.supervisor },
      },
      {
        name: "search (supervisor)",
        path: "/conversations?q=refund",
        headers: { cookie: cookies.supervisor },
      },
      { name: "search (agent)", path: "/conversations?q=refund", headers: { cookie: cookies.agent } },
      {
        name: "read API",
        path: "/api/v1/conversations?limit=50",
        headers: { authorization: `Bearer ${key.token}` },
      },
    ];
    // Every case answers 200 on every process before anything is timed (a redirect to sign-in
    // would otherwise be measured as a fast page); this also warms each process up. The pages'
    // weight (markup, inline RSC payload, SVGs) is read from these answers.
    const weights: string[][] = [];
    for (const web of webs) {
      for (const c of cases) {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(web.url + c.path, { headers: c.headers, redirect: "manual" });
          const body = await res.text();
          if (res.status !== 200)
            throw new Error(`${c.name} on ${web.url}: HTTP ${res.status}, expected 200`);
          const html = res.headers.get("content-type")?.startsWith("text/html");
          if (web === first && i === 0 && html) weights.push([c.name, ...weightCells(pageWeight(body))]);
        }
      }
    }
    printTable(["page", ...WEIGHT_COLUMNS], weights);

    const per = opts.requests ? `${opts.requests} requests` : `${opts.durationSeconds} s`;
    log(
      `~${Number(estimate.rows[0]?.n).toLocaleString("en-US")} conversations; ${opts.users} concurrent users, ` +
        `${per} per case; ${os.cpus().length} CPUs; load average at start ` +
        loadAtStart.map((n) => n.toFixed(2)).join(" "),
    );
    const rows: string[][] = [];
    for (const count of opts.webs) {
      for (const c of cases) {
        const out = await drive(webs.slice(0, count), c, opts);
        if (out.errors || out.non2xx || !out.requests) ok = false;
        const pct = percentiles(out.latencies);
        rows.push([
          String(count),
          c.name,
          fmtMs(pct.p50),
          fmtMs(pct.p95),
          fmtMs(pct.p99),
          out.seconds ? (out.requests / out.seconds).toFixed(1) : "-",
          out.requests ? Math.round(out.bytes / out.requests).toLocaleString("en-US") : "-",
          String(out.errors + out.non2xx),
        ]);
      }
    }
    printTable(["webs", "case", "p50", "p95", "p99", "req/s", "bytes/resp", "errors"], rows);
    log(
      `load average at end ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")} (1, 5, 15 min); the bench, the web processes and PostgreSQL share this machine`,
    );
    if (!ok) log("some requests failed or answered non-2xx (errors column), or a case got no answer");
  } finally {
    await Promise.all(webs.map((web) => web.stop()));
    if (keyId) await revokeApiKey(db, systemActor, keyId, { userAgent: "parley-bench" }).catch(() => {});
    await dataset.close();
  }
  return ok;
}

/**
 * Signs in through next-auth's real flow: the CSRF token (and its cookie) from /api/auth/csrf, then
 * the demo provider's credentials callback. Returns the Cookie header of the session.
 */
export async function signIn(base: string, userId: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  keep(csrf);
  const res = await fetch(`${base}/api/auth/callback/demo`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, userId, callbackUrl: `${base}/conversations`, json: "true" }),
  });
  await res.arrayBuffer();
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith("next-auth.session-token"))) {
    throw new Error(`demo sign-in on ${base} gave no session cookie (HTTP ${res.status})`);
  }
  return header();
}

/**
 * `users` connections for the duration (or the number of requests), split across `webs`; every
 * response time goes into one list. Requests/s is over the wall time the case took.
 */
async function drive(webs: ChildServer[], c: Case, opts: HttpBenchOptions): Promise<Outcome> {
  const { users } = opts;
  const out: Outcome = { requests: 0, errors: 0, non2xx: 0, bytes: 0, latencies: [], seconds: 0 };
  const started = performance.now();
  await Promise.all(
    webs.map((web, i) => {
      const connections = Math.floor(users / webs.length) + (i < users % webs.length ? 1 : 0);
      if (!connections) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const share = opts.requests ? { amount: Math.ceil((opts.requests * connections) / users) } : {};
        const instance = autocannon(
          {
            url: web.url + c.path,
            connections,
            duration: opts.durationSeconds,
            ...share,
            headers: c.headers,
            timeout: 30,
          },
          (err) => (err ? reject(err) : resolve()),
        );
        instance.on("response", (_client, status, bytes, ms) => {
          out.requests++;
          out.bytes += bytes;
          out.latencies.push(ms);
          if (status < 200 || status > 299) out.non2xx++;
        });
        instance.on("reqError", () => {
          out.errors++;
        });
      });
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

function percentiles(xs: number[]) {
  xs.sort((a, b) => a - b);
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
}

const fmtMs = (ms: number) => (Number.isNaN(ms) ? "-" : `${ms.toFixed(0)} ms`);

/** `npm run bench -- http …` */
export async function main(argv: string[]): Promise<void> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      users: { type: "string", default: "10" },
      duration: { type: "string", default: "15" },
      webs: { type: "string", default: "1,2" },
      requests: { type: "string" },
      // The first web process's port, the next ones follow; 0: ports the OS picks.
      port: { type: "string", default: "0" },
      ...datasetOptions("http", 55210),
    },
    strict: true,
  });
  const positive = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a positive whole number, not "${text}"`);
    return n;
  };
  const ok = await runHttpBench({
    users: positive("users", args.users),
    durationSeconds: positive("duration", args.duration),
    requests: args.requests === undefined ? undefined : positive("requests", args.requests),
    webs: args.webs.split(",").map((n) => positive("webs", n)),
    firstPort: Number(args.port),
    dataset: args,
  });
  if (!ok) process.exitCode = 1;
}
