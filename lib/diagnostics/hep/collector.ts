// The live capture collector: HEP v3 over UDP and TCP (what Kamailio's siptrace, OpenSIPS'
// proto_hep, FreeSWITCH, Asterisk's res_hep, rtpengine, heplify and sngrep send to Homer). It keeps
// SIP and (binary) RTCP, correlates them by SIP Call-ID to the conversation whose call id matches,
// holds packets of calls not known yet for a while, and appends them to that conversation's HEP
// capture, whose parse job then fills in Diagnostics. Memory is bounded (pending bytes and calls);
// malformed, unauthorised and unsupported packets are counted and dropped, never thrown.
import dgram from "node:dgram";
import net from "node:net";
import type { Transaction } from "kysely";
import type { Database } from "../../../db/client.ts";
import type { DB } from "../../../db/types.ts";
import type { HepListen } from "../../config/hep-listen.ts";
import type { BlobStore } from "../../storage/index.ts";
import { looksLikeRtcp } from "../rtcp.ts";
import { looksLikeSip } from "../sip.ts";
import { appendHepRecords } from "./append.ts";
import { decodeHep, HEP_PROTO, type HepPacket, hepFrameLength } from "./decode.ts";
import { pcapRecord } from "./frames.ts";

export { type HepListen, parseHepListen } from "../../config/hep-listen.ts";

export type HepStats = {
  received: number;
  accepted: number;
  malformed: number;
  unauthorized: number;
  unsupported: number;
  /** Dropped: their call never became known within the hold time. */
  unmatched: number;
  /** Dropped: the pending buffer (or the call's capture) was full. */
  overflow: number;
  appended: number;
};

export type HepCollectorOptions = {
  db: Database;
  blobs: BlobStore;
  listen: HepListen[];
  /** Required in every packet's auth-key chunk when set. */
  secret?: string | null;
  /** Source addresses and CIDR ranges allowed to send (all when empty). */
  allow?: string[];
  holdMs: number;
  /** Runs in the append's transaction: enqueue the capture's parse job there. */
  onAppended: (trx: Transaction<DB>, captureId: string) => Promise<void>;
  log?: (line: string) => void;
  flushMs?: number;
};

// Bounds: a burst from a busy proxy is a few MB; beyond these, packets are dropped and counted.
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
const MAX_PENDING_CALLS = 10_000;
const MAX_TCP_BUFFER = 2 * 65536; // two HEP frames (the length field is 16-bit)
const LOOKUP_BATCH = 500;

type Pending = { records: Uint8Array[]; bytes: number; firstMs: number };

export class HepCollector {
  readonly stats: HepStats = {
    received: 0,
    accepted: 0,
    malformed: 0,
    unauthorized: 0,
    unsupported: 0,
    unmatched: 0,
    overflow: 0,
    appended: 0,
  };
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private readonly allow: net.BlockList | null;
  private readonly tcpSeq = new Map<string, number>();
  private readonly udp: dgram.Socket[] = [];
  private readonly tcp: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  private readonly opts: HepCollectorOptions;

  constructor(opts: HepCollectorOptions) {
    this.opts = opts;
    this.log = opts.log ?? console.log;
    this.allow = opts.allow?.length ? blockList(opts.allow) : null;
  }

  /** Binds every listener (rejects with EADDRINUSE and the like); returns the bound addresses. */
  async start(): Promise<HepListen[]> {
    const bound: HepListen[] = [];
    try {
      for (const l of this.opts.listen)
        bound.push(l.transport === "udp" ? await this.bindUdp(l) : await this.bindTcp(l));
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.timer = setInterval(
      () => void this.flush().catch((e: Error) => this.log(`[hep] flush failed: ${e.message}`)),
      this.opts.flushMs ?? 500,
    );
    this.timer.unref();
    return bound;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.udp) s.close();
    this.udp.length = 0;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.tcp.map((s) => new Promise((r) => s.close(() => r(null)))));
    this.tcp.length = 0;
    await this.flush().catch(() => {});
  }

  private bindUdp(l: HepListen): Promise<HepListen> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: net.isIPv6(l.host) ? "udp6" : "udp4", reuseAddr: false });
      socket.once("error", reject);
      socket.on("message", (msg, rinfo) => this.receive(msg, rinfo.address));
      socket.bind({ address: l.host, port: l.port, exclusive: true }, () => {
        socket.off("error", reject);
        socket.on("error", (e) => this.log(`[hep] udp error: ${e.message}`));
        this.udp.push(socket);
        resolve({ ...l, port: socket.address().port });
      });
    });
  }

  private bindTcp(l: HepListen): Promise<HepListen> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.connection(socket));
      server.once("error", reject);
      server.listen({ host: l.host, port: l.port, exclusive: true }, () => {
        server.off("error", reject);
        this.tcp.push(server);
        const a = server.address();
        resolve({ ...l, port: typeof a === "object" && a ? a.port : l.port });
      });
    });
  }

  private connection(socket: net.Socket) {
    const from = socket.remoteAddress ?? "";
    if (!this.allowed(from)) {
      this.stats.unauthorized++;
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(300_000, () => socket.destroy()); // idle agents reconnect
    let buf: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (buf.length < 6) break;
        const len = hepFrameLength(buf);
        if (len === null || len < 6) {
          // Lost framing: nothing after it can be trusted on this connection.
          this.stats.received++;
          this.stats.malformed++;
          socket.destroy();
          return;
        }
        if (buf.length < len) break;
        this.receive(buf.subarray(0, len), from);
        buf = buf.subarray(len);
      }
      if (buf.length > MAX_TCP_BUFFER) socket.destroy();
    });
  }

  private allowed(address: string): boolean {
    if (!this.allow) return true;
    const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
    return this.allow.check(v4, net.isIPv6(v4) ? "ipv6" : "ipv4");
  }

  /** One HEP packet from `from` (exported for tests of the decoding rules). */
  receive(msg: Uint8Array, from: string): void {
    this.stats.received++;
    if (!this.allowed(from)) {
      this.stats.unauthorized++;
      return;
    }
    const decoded = decodeHep(msg);
    if (!decoded.ok) {
      this.stats.malformed++;
      return;
    }
    const p = decoded.packet;
    if (this.opts.secret && p.authKey !== this.opts.secret) {
      this.stats.unauthorized++;
      return;
    }
    const callId = correlate(p);
    if (callId === undefined) {
      this.stats.unsupported++; // keep-alives, JSON reports, logs, other protocols
      return;
    }
    if (callId === null) {
      this.stats.malformed++; // SIP without a Call-ID
      return;
    }
    const record = pcapRecord(p, this.nextSeq(p));
    let entry = this.pending.get(callId);
    if (
      this.pendingBytes + record.length > MAX_PENDING_BYTES ||
      (!entry && this.pending.size >= MAX_PENDING_CALLS)
    ) {
      this.stats.overflow++;
      return;
    }
    if (!entry) {
      entry = { records: [], bytes: 0, firstMs: Date.now() };
      this.pending.set(callId, entry);
    }
    entry.records.push(record);
    entry.bytes += record.length;
    this.pendingBytes += record.length;
    this.stats.accepted++;
  }

  private nextSeq(p: HepPacket): number {
    if (p.protocol !== 6) return 0;
    const flow = `${p.src}|${p.srcPort}|${p.dst}|${p.dstPort}`;
    const seq = this.tcpSeq.get(flow) ?? 1;
    if (this.tcpSeq.size > 10_000) this.tcpSeq.clear(); // bounded; a reset seq only confuses reassembly
    this.tcpSeq.set(flow, (seq + p.payload.length) >>> 0);
    return seq;
  }

  /** Appends what can be matched now; drops what waited longer than the hold time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const callIds = [...this.pending.keys()];
    for (let i = 0; i < callIds.length; i += LOOKUP_BATCH) {
      const batch = callIds.slice(i, i + LOOKUP_BATCH);
      const rows = await this.opts.db
        .selectFrom("conversations")
        .select(["id", "call_id"])
        .where("call_id", "in", batch)
        .where("channel", "=", "voice")
        .execute();
      const byCall = new Map(rows.map((r) => [r.call_id as string, r.id]));
      for (const callId of batch) {
        const entry = this.pending.get(callId);
        if (!entry) continue;
        const conversationId = byCall.get(callId);
        if (!conversationId) {
          if (Date.now() - entry.firstMs > this.opts.holdMs) {
            this.take(callId, entry);
            this.stats.unmatched += entry.records.length;
          }
          continue;
        }
        this.take(callId, entry);
        const result = await appendHepRecords(
          this.opts.db,
          this.opts.blobs,
          conversationId,
          entry.records,
          this.opts.onAppended,
        );
        if ("full" in result) this.stats.overflow += entry.records.length;
        else this.stats.appended += entry.records.length;
      }
    }
  }

  private take(callId: string, entry: Pending) {
    this.pending.delete(callId);
    this.pendingBytes -= entry.bytes;
  }
}

/**
 * The Call-ID a packet belongs to: a SIP message's own header, else the HEP correlation id (how
 * agents tie RTCP to its call). null: SIP without one; undefined: a payload Parley doesn't keep.
 */
function correlate(p: HepPacket): string | null | undefined {
  if (p.protoType === HEP_PROTO.SIP) {
    if (!looksLikeSip(p.payload)) return null;
    return sipCallId(p.payload) ?? null;
  }
  if (p.protoType === HEP_PROTO.RTCP && looksLikeRtcp(p.payload) && p.protocol === 17) {
    return p.correlationId || null;
  }
  return undefined;
}

const CALL_ID = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im;

function sipCallId(payload: Uint8Array): string | null {
  const text = Buffer.from(payload.subarray(0, 8192)).toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  return CALL_ID.exec(end < 0 ? text : text.slice(0, end))?.[1] ?? null;
}

function blockList(entries: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const e of entries) {
    const [addr = "", bits] = e.split("/");
    const type = net.isIPv6(addr) ? "ipv6" : "ipv4";
    if (!net.isIP(addr)) throw new Error(`HEP_ALLOW: "${e}" is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}
