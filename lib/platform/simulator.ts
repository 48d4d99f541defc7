import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { IngestEvent } from "../ingest/schemas.ts";
import type { SimulatedLeg } from "./recordings.ts";
import {
  IDEMPOTENCY_HEADER,
  type PlatformActionRequest,
  platformActionRequestSchema,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from "./webhook.ts";

// A stand-in for the contact-center platform, for the demo (`npm start` without
// PLATFORM_WEBHOOK_URL or RECORDING_SOURCE_URL, `npm run simulate -- --platform-port N`) and the
// tests: it receives Parley's signed webhook over real HTTP, verifies it as a real platform would,
// and answers the way a real one does — later, with events through Parley's ingest path; and it
// serves the calls' recordings (lib/platform/recordings.ts) as the platform's recording server.

const MAX_BODY_BYTES = 64 * 1024;

/** The events a platform sends once it has carried out the action; ids derive from the action id. */
export function confirmationEvents(request: PlatformActionRequest, at: Date): IngestEvent[] {
  const base = (n: number) => ({
    id: `${request.id}-${n}`,
    sessionId: request.conversation.sessionId,
    occurredAt: at.toISOString(),
  });
  const actionId = request.id;
  switch (request.type) {
    case "join":
      return [
        {
          ...base(1),
          type: "participant.joined",
          agentEmail: request.requestedBy.email,
          role: "supervisor",
          actionId,
        },
        {
          ...base(2),
          type: "lifecycle",
          event: "agent_join",
          agentEmail: request.requestedBy.email,
          actionId,
        },
      ];
    case "assign": {
      if (!request.agent) return [{ ...base(1), type: "action.failed", actionId, reason: "No agent named" }];
      const agentEmail = request.agent.email;
      return [
        {
          ...base(1),
          type: "lifecycle",
          event: "conversation_transfer",
          agentEmail,
          detail: { assignedBy: request.requestedBy.name },
          actionId,
        },
        { ...base(2), type: "participant.joined", agentEmail, role: "agent", actionId },
        { ...base(3), type: "conversation.updated", supportAgentEmail: agentEmail },
      ];
    }
    case "change_queue":
      if (!request.queue) return [{ ...base(1), type: "action.failed", actionId, reason: "No queue named" }];
      return [{ ...base(1), type: "queue.entered", queue: request.queue, actionId }];
  }
}

export type PlatformSimulator = {
  /** PLATFORM_WEBHOOK_URL: where Parley posts actions. */
  url: string;
  /** RECORDING_SOURCE_URL: the recording server's template (with `recordings`). */
  recordingUrl: string;
  close: () => Promise<void>;
};

const RECORDING_PATH = /^\/recordings\/([^/]+)\/(customer|agent)\.wav$/;

/**
 * Listens on 127.0.0.1 (`port` 0 picks a free one). Each new action is answered with 202 and, after
 * `delayMs` (a real platform takes a moment to connect a supervisor), its confirmation events go to
 * `ingest`. A repeated idempotency key gets 200 and no second answer. With `recordings`, it is also
 * the recording server: GET /recordings/{callId}/{leg}.wav gives a leg's audio, 404 when none.
 */
export async function startPlatformSimulator(opts: {
  secret: string;
  ingest: (events: IngestEvent[]) => Promise<unknown>;
  recordings?: (callId: string, leg: SimulatedLeg) => Promise<Buffer | null>;
  port?: number;
  delayMs?: number;
  log?: (line: string) => void;
}): Promise<PlatformSimulator> {
  const log = opts.log ?? ((line: string) => console.log(`[platform] ${line}`));
  const seen = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const recording = req.method === "GET" && opts.recordings ? RECORDING_PATH.exec(req.url ?? "") : null;
    if (recording && opts.recordings) {
      const callId = decodeURIComponent(recording[1] ?? "");
      const audio = await opts.recordings(callId, recording[2] as SimulatedLeg).catch((error: Error) => {
        log(`could not render the recording of ${callId}: ${error.message}`);
        return undefined;
      });
      if (audio === undefined) return reply(500, { error: "Recording unavailable" });
      if (audio === null) return reply(404, { error: "No such recording" });
      res.writeHead(200, { "content-type": "audio/wav", "content-length": audio.length }).end(audio);
      return;
    }
    if (req.method !== "POST") return reply(405, { error: "POST only" });
    const body = await readBody(req).catch(() => null);
    if (body === null) return reply(413, { error: "Body too large" });
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    if (
      !verifySignature({
        secret: opts.secret,
        timestamp: header(TIMESTAMP_HEADER),
        signature: header(SIGNATURE_HEADER),
        body,
      })
    ) {
      return reply(401, { error: "Bad signature" });
    }
    let request: PlatformActionRequest;
    try {
      request = platformActionRequestSchema.parse(JSON.parse(body));
    } catch {
      return reply(400, { error: "Not a Parley action" });
    }
    // The key is the signed body's action id: the Idempotency-Key header is outside the signature, so
    // a replay within the tolerance with a fresh header must not count as a new action.
    const key = request.id;
    const claimed = header(IDEMPOTENCY_HEADER);
    if (claimed !== null && claimed !== key)
      return reply(400, { error: "Idempotency-Key must equal the signed body's id" });
    if (seen.has(key)) return reply(200, { status: "duplicate" });
    seen.add(key);
    reply(202, { status: "accepted" });
    const timer = setTimeout(() => {
      timers.delete(timer);
      opts
        .ingest(confirmationEvents(request, new Date()))
        .then(() => log(`${request.type} ${request.id} carried out`))
        .catch((error: Error) => log(`could not confirm ${request.id}: ${error.message}`));
    }, opts.delayMs ?? 800);
    timers.add(timer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/parley/actions`,
    recordingUrl: `http://127.0.0.1:${port}/recordings/{callId}/{leg}.wav`,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
