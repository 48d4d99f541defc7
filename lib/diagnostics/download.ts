// Export PCAP and Export TEXT of a voice conversation's capture (spec: Diagnostics → Export). Both
// are made from the stored capture file on request: the PCAP holds the original frames (re-readable
// by Wireshark/tshark), the TEXT one header line per message followed by the raw message.

import { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { DB } from "../../db/types.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";
import type { ScopeViewer } from "../auth/scope.ts";
import type { BlobStore } from "../storage/index.ts";
import { exportText } from "./export.ts";
import { findVoiceConversation, latestCapture, loadFlow } from "./view.ts";

export const DIAGNOSTICS_EXPORTS = ["pcap", "text"] as const;
export type DiagnosticsExport = (typeof DIAGNOSTICS_EXPORTS)[number];

export const PCAP_OBSCURED_REASON =
  "Customer info is obscured: a PCAP holds the SIP messages as captured, so it can't be exported.";
export const NO_CAPTURE_REASON = "No parsed capture for this call yet.";

export type DiagnosticsFile =
  | { ok: true; body: ReadableStream<Uint8Array> | string; filename: string; contentType: string }
  | { ok: false; status: 403 | 404 | 409; error: string };

export async function diagnosticsFile(
  db: Kysely<DB>,
  blobs: BlobStore,
  viewer: ScopeViewer & { id: string },
  conversationId: string,
  kind: DiagnosticsExport,
  opts: { obscureCustomerInfo: boolean; context?: RequestContext },
): Promise<DiagnosticsFile> {
  const id = await findVoiceConversation(db, viewer, conversationId);
  if (!id) return { ok: false, status: 404, error: "Not found" };
  const capture = await latestCapture(db, id);
  if (capture?.state !== "parsed") return { ok: false, status: 409, error: NO_CAPTURE_REASON };
  if (kind === "pcap" && opts.obscureCustomerInfo)
    return { ok: false, status: 403, error: PCAP_OBSCURED_REASON };

  // Nothing is parsed here (the web process never parses a capture): the PCAP is the stored file
  // streamed as it is, the TEXT is written from the rows the parse job stored.
  const actor: Actor = { kind: "user", id: viewer.id };
  await recordAudit(db, {
    actor,
    action: "diagnostics.export",
    target: { type: "conversation", id },
    detail: { format: kind, captureId: capture.id },
    context: opts.context,
  });
  if (kind === "pcap") {
    const pcapng = capture.format === "pcapng";
    return {
      ok: true,
      body: Readable.toWeb(await blobs.stream(capture.storage_key)) as ReadableStream<Uint8Array>,
      filename: `diagnostics-${id}.${pcapng ? "pcapng" : "pcap"}`,
      contentType: pcapng ? "application/x-pcapng" : "application/vnd.tcpdump.pcap",
    };
  }
  const flow = await loadFlow(db, capture.id, { obscureCustomerInfo: opts.obscureCustomerInfo });
  return {
    ok: true,
    body: exportText(flow.flow, flow.calls),
    filename: `diagnostics-${id}.txt`,
    contentType: "text/plain; charset=utf-8",
  };
}
