// The web process: Next.js's own request handler on a plain HTTP server. `npm start` runs it as a
// child with an IPC channel so that it exits when its parent goes away, even after a SIGKILL
// (the `next start` CLI would keep serving as an orphan and hold the port).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import {
  CLIENT_ADDRESS_HEADER,
  CLIENT_PROTO_HEADER,
  clientOf,
  parseTrustedProxies,
} from "../lib/security/client-address.ts";
import { STATIC_SECURITY_HEADERS, strictTransportSecurity } from "../lib/security/headers.ts";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const app = next({ dev, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
// X-Forwarded-* are believed only from these (none by default): lib/security/client-address.ts.
const proxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
const server = http.createServer((req, res) => {
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
  handle(req, res).catch((err: unknown) => {
    console.error("[web] unhandled request error", err);
    if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
  });
});

let closing = false;
function shutdown(code = 0) {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(code));
  server.closeAllConnections();
  setTimeout(() => process.exit(code), 5000).unref();
}

process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));
process.on("disconnect", () => shutdown(0));

server.listen(port, hostname, () => {
  console.log(`[web] listening on ${hostname}:${port}${dev ? " (dev)" : ""}`);
  process.send?.({ type: "ready" });
});
