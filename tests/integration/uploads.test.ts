import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Job } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { postRecordingLeg } from "../../lib/api/uploads.ts";
import { createApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { getBoss, stopBoss } from "../../lib/jobs/instance.ts";
import { setLegalHold } from "../../lib/recordings/status.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { parseCaptureHandler } from "../../worker/handlers/parse-capture.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { wav } from "../helpers/recording-server.ts";
import { loadFixture } from "../helpers/tshark.ts";

// The upload route files are called directly with Request objects (as Next.js calls them), on a
// test database, a temporary blob folder and the web process's lazily started pg-boss instance.

type Route = { POST: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response> };

let t: TestDatabase;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
const routes: Record<string, Route> = {};
const keys = { write: "", read: "" };
let agentId = "";

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  store = tempBlobStore("uploads");
  Object.assign(process.env, store.env); // the route handlers' store (getBlobStore) is this one
  blobs = store.blobs;
  routes.legs = await import("../../app/api/v1/conversations/[id]/recording-legs/route.ts");
  routes.screens = await import("../../app/api/v1/conversations/[id]/screen-recordings/route.ts");
  routes.captures = await import("../../app/api/v1/conversations/[id]/captures/route.ts");
  agentId = (
    await t.db
      .insertInto("users")
      .values({ email: "agent@parley.demo", name: "Alex Agent", role: "agent" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  keys.write = (await createApiKey(t.db, systemActor, { name: "w", scopes: ["write"] })).token;
  keys.read = (await createApiKey(t.db, systemActor, { name: "r", scopes: ["read"] })).token;
});

afterAll(async () => {
  await stopBoss();
  await (globalThis as { parleyDb?: Database }).parleyDb?.destroy();
  await t?.drop();
  store?.remove();
});

async function conversation(channel: "voice" | "chat" = "voice"): Promise<{ id: string; sessionId: string }> {
  const sessionId = `upl-${randomUUID()}`;
  const row = await t.db
    .insertInto("conversations")
    .values({
      session_id: sessionId,
      direction: "inbound",
      language: "en-US",
      channel,
      started_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, sessionId };
}

function upload(
  route: keyof typeof routes | string,
  sessionId: string,
  body: BodyInit | Uint8Array,
  opts: {
    type?: string;
    query?: Record<string, string>;
    key?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const segment =
    { legs: "recording-legs", screens: "screen-recordings", captures: "captures" }[route] ?? route;
  const url = new URL(`http://parley.test/api/v1/conversations/${sessionId}/${segment}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.type) headers["content-type"] = opts.type;
  const key = opts.key === undefined ? keys.write : opts.key;
  if (key) headers.authorization = `Bearer ${key}`;
  return (routes[route] as Route).POST(
    new Request(url, { method: "POST", headers, body: body as BodyInit }),
    {
      params: Promise.resolve({ id: sessionId }),
    },
  );
}

/**
 * Only an EBML header (DocType "webm"), no Segment: enough for the upload's type check, which is
 * all these tests exercise; it is not a playable video.
 */
function webmHeader(extra = 0): Uint8Array {
  const el = (id: number[], data: number[]) => [...id, 0x80 | data.length, ...data];
  const body = [
    ...el([0x42, 0x86], [1]), // EBMLVersion
    ...el([0x42, 0xf7], [1]), // EBMLReadVersion
    ...el([0x42, 0xf2], [4]), // EBMLMaxIDLength
    ...el([0x42, 0xf3], [8]), // EBMLMaxSizeLength
    ...el([0x42, 0x82], [...Buffer.from("webm")]), // DocType
    ...el([0x42, 0x87], [4]), // DocTypeVersion
    ...el([0x42, 0x85], [2]), // DocTypeReadVersion
  ];
  return new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length, ...body, ...new Array(extra).fill(0)]);
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("recording legs", () => {
  it("stores a WAV leg, re-upload is a no-op, other content replaces it", async () => {
    const c = await conversation();
    const audio = wav(500);
    const query = { legIndex: "0", label: "customer" };
    const res = await upload("legs", c.sessionId, audio, { type: "audio/wav", query });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      legIndex: 0,
      label: "customer",
      status: "created",
      format: "wav",
      sizeBytes: audio.length,
      sha256: sha(audio),
      sampleRate: 8000,
      channels: 1,
      durationMs: 500,
      recordingState: "available",
    });
    const key = `recordings/${c.id}/leg-0.wav`;
    expect(new Uint8Array(await blobs.get(key))).toEqual(audio);
    const leg = await t.db
      .selectFrom("recording_legs")
      .selectAll()
      .where("id", "=", body.legId)
      .executeTakeFirstOrThrow();
    expect(leg).toMatchObject({ storage_key: key, sha256: sha(audio), size_bytes: String(audio.length) });

    const again = await upload("legs", c.sessionId, audio, { type: "audio/x-wav", query });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "unchanged", legId: body.legId });

    const other = wav(250, 880);
    const replaced = await upload("legs", c.sessionId, other, { type: "audio/wav", query });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ status: "replaced", legId: body.legId, durationMs: 250 });
    expect(new Uint8Array(await blobs.get(key))).toEqual(other);
    const legs = await t.db
      .selectFrom("recording_legs as l")
      .innerJoin("recordings as r", "r.id", "l.recording_id")
      .select(["l.sha256", "r.state"])
      .where("r.conversation_id", "=", c.id)
      .execute();
    expect(legs).toEqual([{ sha256: sha(other), state: "available" }]);
    // Each new content asks the worker for the waveform and playable merge; the no-op does not.
    const media = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.job
      where name = 'recordings.prepare-media' and data->>'recordingId' = ${body.recordingId}`.execute(t.db);
    expect(media.rows[0]?.n).toBe(2);
    // No staging files are left behind.
    expect(await blobs.list("staging")).toEqual([]);
  });

  it("takes a multipart upload with the participant's e-mail", async () => {
    const c = await conversation();
    const form = new FormData();
    form.set("legIndex", "1");
    form.set("label", "agent");
    form.set("participantEmail", "AGENT@parley.demo");
    form.set("file", new Blob([new Uint8Array(wav(100))], { type: "audio/wav" }), "agent.wav");
    const res = await upload("legs", c.sessionId, form);
    expect(res.status).toBe(201);
    const leg = await t.db
      .selectFrom("recording_legs")
      .select(["participant_user_id", "label", "leg_index"])
      .where("id", "=", (await res.json()).legId)
      .executeTakeFirstOrThrow();
    expect(leg).toEqual({ participant_user_id: agentId, label: "agent", leg_index: 1 });
  });

  it("registers a source URL for the fetcher without downloading; the recording stays pending", async () => {
    const c = await conversation();
    const body = { legIndex: 0, label: "ai_agent", sourceUrl: "https://media.example.com/x/0.wav" };
    const res = await upload("legs", c.sessionId, JSON.stringify(body), { type: "application/json" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      status: "created",
      sourceUrl: body.sourceUrl,
      sha256: null,
      recordingState: "pending",
    });
    const again = await upload("legs", c.sessionId, JSON.stringify(body), { type: "application/json" });
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe("unchanged");
    const bad = await upload("legs", c.sessionId, JSON.stringify({ ...body, sourceUrl: "ftp://x" }), {
      type: "application/json",
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).path).toBe("sourceUrl");
  });

  it("rejects what is not audio (415), bad parameters (400), unknown users (422)", async () => {
    const c = await conversation();
    const query = { legIndex: "0", label: "customer" };
    const text = new TextEncoder().encode("this is not audio at all");
    const wrongMagic = await upload("legs", c.sessionId, text, { type: "audio/wav", query });
    expect(wrongMagic.status).toBe(415);
    expect((await wrongMagic.json()).error).toBe("unsupported_media_type");
    expect((await upload("legs", c.sessionId, wav(10), { type: "text/plain", query })).status).toBe(415);
    const badLabel = await upload("legs", c.sessionId, wav(10), {
      type: "audio/wav",
      query: { legIndex: "0", label: "robot" },
    });
    expect(badLabel.status).toBe(400);
    expect((await badLabel.json()).path).toBe("label");
    const unknown = await upload("legs", c.sessionId, wav(10), {
      type: "audio/wav",
      query: { ...query, participantEmail: "nobody@example.com" },
    });
    expect(unknown.status).toBe(422);
    expect(
      await t.db.selectFrom("recordings").where("conversation_id", "=", c.id).select("id").execute(),
    ).toEqual([]);
  });
});

describe("keys, sessions and limits (every upload endpoint)", () => {
  it("a chunked body past the limit, raw or multipart, is answered 413 having read little more than the limit", async () => {
    // No Content-Length (a stream, sent chunked): only counting while streaming can stop it. The
    // body would be 64 MB; the limit is 1 MB. Today's runtime multipart parser read all of it first.
    const limit = 1024 * 1024;
    const c = await conversation();
    const deps = { blobs, boss: getBoss, log: () => {}, maxBytes: limit };
    const boundary = "----parley-test-boundary";
    const parts = {
      multipart: {
        type: `multipart/form-data; boundary=${boundary}`,
        head: [
          `--${boundary}\r\nContent-Disposition: form-data; name="legIndex"\r\n\r\n0\r\n`,
          `--${boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\ncustomer\r\n`,
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n`,
          "Content-Type: audio/wav\r\n\r\n",
        ].join(""),
        query: {},
      },
      raw: { type: "audio/wav", head: "", query: { legIndex: "0", label: "customer" } },
    };
    for (const [name, part] of Object.entries(parts)) {
      let sent = 0;
      const head = new TextEncoder().encode(part.head);
      const audio = wav(100);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = sent === 0 ? Buffer.concat([head, audio]) : new Uint8Array(64 * 1024);
          sent += chunk.byteLength;
          controller.enqueue(chunk);
          if (sent >= 64 * 1024 * 1024) controller.close();
        },
      });
      const url = new URL(`http://parley.test/api/v1/conversations/${c.sessionId}/recording-legs`);
      for (const [k, v] of Object.entries(part.query)) url.searchParams.set(k, v);
      const request = new Request(url, {
        method: "POST",
        headers: { "content-type": part.type, authorization: `Bearer ${keys.write}` },
        body,
        duplex: "half",
      } as RequestInit);
      const res = await postRecordingLeg(t.db, request, c.sessionId, deps);
      expect(res.status, name).toBe(413);
      expect((await res.json()).error).toBe("payload_too_large");
      expect(sent, name).toBeLessThan(limit + 2 * 1024 * 1024); // the limit, plus what was in flight
      expect(await blobs.list("staging")).toEqual([]);
    }
    expect(
      await t.db.selectFrom("recordings").select("id").where("conversation_id", "=", c.id).execute(),
    ).toEqual([]);
  });

  it("401 without a key, 403 with a read key, 404 for an unknown session, 413 when too large", async () => {
    const c = await conversation();
    for (const route of ["legs", "screens", "captures"]) {
      const noKey = await upload(route, c.sessionId, wav(10), { type: "audio/wav", key: null });
      expect(noKey.status).toBe(401);
      expect(noKey.headers.get("www-authenticate")).toMatch(/Bearer/);
      const read = await upload(route, c.sessionId, wav(10), { type: "audio/wav", key: keys.read });
      expect(read.status).toBe(403);
      expect((await read.json()).error).toBe("forbidden");
      const missing = await upload(route, "no-such-session", wav(10), { type: "application/octet-stream" });
      expect(missing.status).toBe(404);
      const large = await upload(route, c.sessionId, wav(10), {
        type: "application/octet-stream",
        headers: { "content-length": String(201 * 1024 * 1024) },
      });
      expect(large.status).toBe(413);
    }
    const counts = await Promise.all(
      (["recordings", "screen_recordings", "sip_captures"] as const).map(async (table) =>
        Number(
          (
            await t.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .where("conversation_id", "=", c.id)
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
    expect(counts).toEqual([0, 0, 0]);
  });
});

describe("screen recordings", () => {
  it("stores a WebM for the agent, re-upload is a no-op, other files are 415", async () => {
    const c = await conversation();
    const webm = webmHeader();
    const query = { agentEmail: "agent@parley.demo" };
    const res = await upload("screens", c.sessionId, webm, { type: "video/webm", query });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ agentId, status: "created", state: "available", sha256: sha(webm) });
    const key = `screen-recordings/${c.id}/${agentId}.webm`;
    expect(new Uint8Array(await blobs.get(key))).toEqual(webm);
    const row = await t.db
      .selectFrom("screen_recordings")
      .selectAll()
      .where("id", "=", body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: "available", storage_key: key, size_bytes: String(webm.length) });
    expect(row.available_at).not.toBeNull();

    const again = await upload("screens", c.sessionId, webm, { type: "video/webm", query });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: body.id, status: "unchanged" });
    const replaced = await upload("screens", c.sessionId, webmHeader(16), { type: "video/webm", query });
    expect(await replaced.json()).toMatchObject({ id: body.id, status: "replaced" });
    expect(
      await t.db.selectFrom("screen_recordings").select("id").where("conversation_id", "=", c.id).execute(),
    ).toHaveLength(1);

    expect((await upload("screens", c.sessionId, wav(10), { type: "video/webm", query })).status).toBe(415);
    const nobody = await upload("screens", c.sessionId, webm, {
      type: "video/webm",
      query: { agentEmail: "nobody@example.com" },
    });
    expect(nobody.status).toBe(422);
  });

  it("a screen recording arriving while its conversation is on legal hold takes the hold", async () => {
    const c = await conversation();
    const held = async (email: string) => {
      const res = await upload("screens", c.sessionId, webmHeader(), {
        type: "video/webm",
        query: { agentEmail: email },
      });
      const { id } = await res.json();
      return (
        await t.db
          .selectFrom("screen_recordings")
          .select("legal_hold")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).legal_hold;
    };
    expect(await held("agent@parley.demo")).toBe(false);
    const supervisor = { id: randomUUID(), role: "supervisor" as const };
    await setLegalHold(t.db, supervisor, systemActor, c.id, true);
    await t.db
      .insertInto("users")
      .values({ email: "second@parley.demo", name: "Second Agent", role: "agent" })
      .execute();
    expect(await held("second@parley.demo")).toBe(true);
  });
});

describe("SIP captures", () => {
  const jobsFor = (captureId: string) =>
    sql<{ id: string; name: string; data: unknown }>`
      select id, name, data from pgboss.job
      where name = 'diagnostics.parse-capture' and data->>'captureId' = ${captureId}`
      .execute(t.db)
      .then((r) => r.rows);

  it("stores the capture and enqueues one parse job; re-upload returns it; the worker parses it", async () => {
    const c = await conversation();
    const pcap = loadFixture("sipp-echo.pcap");
    const res = await upload("captures", c.sessionId, pcap, { type: "application/vnd.tcpdump.pcap" });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      status: "created",
      format: "pcap",
      state: "pending",
      sizeBytes: pcap.length,
    });
    const row = await t.db
      .selectFrom("sip_captures")
      .selectAll()
      .where("id", "=", body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ conversation_id: c.id, format: "pcap", state: "pending" });
    expect(new Uint8Array(await blobs.get(row.storage_key))).toEqual(pcap);
    expect(await jobsFor(body.id)).toHaveLength(1);

    const again = await upload("captures", c.sessionId, pcap, { type: "application/octet-stream" });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: body.id, status: "unchanged" });
    expect(await jobsFor(body.id)).toHaveLength(1);
    expect(
      await t.db.selectFrom("sip_captures").select("id").where("conversation_id", "=", c.id).execute(),
    ).toHaveLength(1);

    const [job] = await jobsFor(body.id);
    const handler = parseCaptureHandler({ db: t.db, blobs, log: () => {} });
    const results = await handler([{ id: job?.id, name: job?.name, data: job?.data } as Job<unknown>]);
    expect(results.map((r) => r.status)).toEqual(["completed"]);
    const parsed = await t.db
      .selectFrom("sip_captures")
      .select("state")
      .where("id", "=", body.id)
      .executeTakeFirstOrThrow();
    expect(parsed.state).toBe("parsed");
  });

  it("refuses a capture for a chat (422 naming the id), before reading the body", async () => {
    const c = await conversation("chat");
    const res = await upload("captures", c.sessionId, loadFixture("sipp-echo.pcap"), {
      type: "application/vnd.tcpdump.pcap",
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: "not_a_call",
      message: "id: SIP captures are for voice conversations; this conversation is a chat conversation.",
      path: "id",
    });
    expect(
      await t.db.selectFrom("sip_captures").select("id").where("conversation_id", "=", c.id).execute(),
    ).toEqual([]);
  });

  it("takes pcapng, and rejects a file that is not a capture (415)", async () => {
    const c = await conversation();
    const ng = await upload("captures", c.sessionId, loadFixture("gst-rtcp-loss.pcapng"), {
      type: "application/x-pcapng",
    });
    expect(ng.status).toBe(201);
    expect((await ng.json()).format).toBe("pcapng");
    const bad = await upload("captures", c.sessionId, wav(10), { type: "application/octet-stream" });
    expect(bad.status).toBe(415);
    expect(
      await t.db.selectFrom("sip_captures").select("id").where("conversation_id", "=", c.id).execute(),
    ).toHaveLength(1);
  });
});
