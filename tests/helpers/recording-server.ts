import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A real HTTP recording server on 127.0.0.1 whose answer per path the test sets: audio, a status
// (with headers), a slow answer, a body cut short, or something that is not audio. Every request
// is recorded (path and headers) so tests can count attempts.

export type Behaviour =
  | { kind: "audio"; body: Uint8Array }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: string }
  | { kind: "slow"; delayMs: number; body: Uint8Array }
  | { kind: "truncated"; body: Uint8Array; sendBytes: number };

export type RecordingServer = {
  url: string;
  set: (path: string, behaviour: Behaviour) => void;
  requests: { path: string; headers: IncomingMessage["headers"] }[];
  close: () => Promise<void>;
};

/** A mono 16-bit PCM WAV at 8 kHz: `ms` milliseconds of a `hz` tone. */
export function wav(ms: number, hz = 440): Uint8Array {
  const rate = 8000;
  const samples = Math.round((rate * ms) / 1000);
  const b = Buffer.alloc(44 + samples * 2);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write("WAVE", 8, "latin1");
  b.write("fmt ", 12, "latin1");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36, "latin1");
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return new Uint8Array(b);
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const behaviours = new Map<string, Behaviour>();
  const requests: RecordingServer["requests"] = [];
  const timers = new Set<NodeJS.Timeout>();
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    requests.push({ path, headers: req.headers });
    const b = behaviours.get(path) ?? { kind: "status", status: 404 };
    switch (b.kind) {
      case "audio":
        res.writeHead(200, { "content-type": "audio/wav", "content-length": b.body.length });
        res.end(b.body);
        return;
      case "status":
        res.writeHead(b.status, b.headers);
        res.end(b.body ?? "");
        return;
      case "slow": {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (res.destroyed) return;
          res.writeHead(200, { "content-type": "audio/wav", "content-length": b.body.length });
          res.end(b.body);
        }, b.delayMs);
        timers.add(timer);
        return;
      }
      case "truncated":
        // Announces the full length, sends part of it, then drops the connection.
        res.writeHead(200, { "content-type": "audio/wav", "content-length": b.body.length });
        res.write(b.body.subarray(0, b.sendBytes), () => res.destroy());
        return;
    }
  };
  const server: Server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, behaviour) => behaviours.set(path, behaviour),
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
