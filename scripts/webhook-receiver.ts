// npm run webhook-receiver -- --secret whsec_… [--port 9000] [--host 127.0.0.1]
// A reference receiver for Parley's outgoing webhooks (Admin → Webhooks): it checks each request
// the way lib/webhooks/receiver.ts describes (signature, timestamp, Idempotency-Key = the signed
// event id, duplicates) and prints what it accepted. Use it to try an endpoint out, or as the model
// for your own.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { receiveWebhook } from "../lib/webhooks/receiver.ts";

const { values } = parseArgs({
  options: {
    secret: { type: "string" },
    port: { type: "string", default: "9000" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
if (!values.secret) {
  console.error("usage: npm run webhook-receiver -- --secret whsec_… [--port 9000] [--host 127.0.0.1]");
  process.exit(2);
}
const secret = values.secret;
// Ids seen in the last day: enough to recognise Parley's retries (they stop within two hours).
const seen = new Map<string, number>();
const DAY_MS = 86_400_000;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > 1_000_000)
      req.destroy(); // Parley's events are a few hundred bytes
    else chunks.push(chunk);
  });
  req.on("end", () => {
    const now = Date.now();
    for (const [id, at] of seen) if (now - at > DAY_MS) seen.delete(id);
    const ids = new Set(seen.keys());
    const result = receiveWebhook({
      secret,
      headers: new Headers(req.headers as Record<string, string>),
      body: Buffer.concat(chunks).toString("utf8"),
      seen: ids,
    });
    if (!result.ok) {
      console.log(`refused (${result.status}): ${result.error}`);
      res.writeHead(result.status, { "content-type": "text/plain" }).end(result.error);
      return;
    }
    seen.set(result.delivery.id, now);
    const { id, type, createdAt, data } = result.delivery;
    console.log(
      `${result.duplicate ? "duplicate" : "accepted"} ${type} ${id} (${createdAt}) ${JSON.stringify(data)}`,
    );
    res.writeHead(200).end();
  });
});
server.listen(Number(values.port), values.host, () => {
  console.log(`Listening on http://${values.host}:${values.port}/ for Parley webhooks`);
});
