// The web process (`npm run start:web`; `npm start` runs it as a child): Next.js's own request
// handler on a plain HTTP server. Any number of them may serve one DATABASE_URL behind a load
// balancer. Around Next it adds what every request needs: a request id (X-Request-Id, kept in the
// logs and in the jobs the request enqueues), the latency histogram, GET /api/metrics (Prometheus,
// token-protected), and a draining shutdown. Run as a child with an IPC channel it exits when its
// parent goes away, even after a SIGKILL (the `next start` CLI would keep serving as an orphan).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { listenHost, readEnv } from "../lib/config/env.ts";
import { logger } from "../lib/observability/log.ts";
import { metrics, metricsResponse, routeLabel } from "../lib/observability/metrics.ts";
import { requestIdFrom, withRequestId } from "../lib/observability/request-id.ts";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_PROTO_HEADER,
  clientOf,
  parseTrustedProxies,
} from "../lib/security/client-address.ts";
import { STATIC_SECURITY_HEADERS, strictTransportSecurity } from "../lib/security/headers.ts";

// Requests in flight get this long to finish on SIGTERM: inside the 10 s Docker and Kubernetes
// wait before SIGKILL. Live streams (/api/live) are closed at once; their browsers reconnect
// (EventSource retry) to another process.
const DRAIN_MS = 8_000;

const dev = process.argv.includes("--dev");
const env = readEnv();
const log = logger("web");
if (!env.DATABASE_URL) {
  log.error("DATABASE_URL is not set (npm start sets it for the embedded server)");
  process.exit(1);
}
const port = env.PORT;
const { host: hostname, reason } = listenHost(env);
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const app = next({ dev, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const { httpDuration } = metrics();
// X-Forwarded-* are believed only from these (none by default): lib/security/client-address.ts.
const proxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);

let inFlight = 0;
const liveResponses = new Set<http.ServerResponse>();
let onIdle: (() => void) | null = null;

const server = http.createServer((req, res) => {
  const started = performance.now();
  const client = clientOf(
    {
      address: req.socket.remoteAddress,
      encrypted: "encrypted" in req.socket && Boolean(req.socket.encrypted),
    },
    { forwardedFor: req.headers["x-forwarded-for"], forwardedProto: req.headers["x-forwarded-proto"] },
    proxies,
  );
  // The app reads the client from these alone; a client's own copy never gets through.
  delete req.headers[CLIENT_ADDRESS_HEADER];
  if (client.address) req.headers[CLIENT_ADDRESS_HEADER] = client.address;
  req.headers[CLIENT_PROTO_HEADER] = client.proto;
  for (const { key, value } of STATIC_SECURITY_HEADERS) res.setHeader(key, value);
  const hsts = strictTransportSecurity(process.env.AUTH_URL, client.proto);
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
  const requestId = requestIdFrom(req.headers["x-request-id"]);
  // Route handlers and server actions read it from the headers too; responses carry it back.
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  const route = routeLabel(req.url ?? "/");
  const live = route === "/api/live";
  if (live) liveResponses.add(res);
  else inFlight++;
  res.once("close", () => {
    const seconds = (performance.now() - started) / 1000;
    httpDuration.observe(
      { route, method: req.method ?? "GET", status: `${Math.floor(res.statusCode / 100)}xx` },
      seconds,
    );
    if (live) liveResponses.delete(res);
    else if (--inFlight === 0) onIdle?.();
    if (route !== "/_next") {
      withRequestId(requestId, () =>
        log.info(
          { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
          `${req.method} ${req.url?.split("?")[0]} ${res.statusCode}`,
        ),
      );
    }
  });
  withRequestId(requestId, () => {
    if (route === "/api/metrics" && req.method === "GET") {
      metricsResponse(req.headers.authorization).then(
        ({ status, contentType, body }) => res.writeHead(status, { "content-type": contentType }).end(body),
        (err: Error) => {
          log.error({ err }, "metrics failed");
          res.writeHead(500).end();
        },
      );
      return;
    }
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, "unhandled request error");
      if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
    });
  });
});

let closing = false;
function shutdown(why: string) {
  if (closing) return;
  closing = true;
  log.info(`${why}: draining ${inFlight} request(s), closing ${liveResponses.size} live stream(s)`);
  server.close(); // no new connections
  server.closeIdleConnections();
  for (const res of liveResponses) res.end();
  const done = () => {
    server.closeAllConnections();
    log.info("stopped");
    process.exit(0);
  };
  if (inFlight === 0) return done();
  onIdle = done;
  setTimeout(() => {
    log.warn(`${inFlight} request(s) still running after ${DRAIN_MS} ms: closing them`);
    done();
  }, DRAIN_MS).unref();
}

process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("disconnect", () => shutdown("parent process went away"));

server.listen(port, hostname, () => {
  log.info(`listening on ${hostname}:${port}${dev ? " (dev)" : ""} (${reason})`);
  process.send?.({ type: "ready" });
});
