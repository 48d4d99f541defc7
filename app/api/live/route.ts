import { can } from "@/lib/auth/permissions";
import { defineRoute } from "@/lib/auth/route";
import type { UserViewer } from "@/lib/auth/scope";
import { type FeedEvent, getConversationFeed } from "@/lib/live/feed";
import { getUser } from "@/lib/users/queries";

// Server-sent events: the ids (and start times) of changed conversations the viewer may see, fed by
// the process's one LISTEN connection (lib/live/feed.ts). Pages reload their own data on a relevant
// change, so nothing but ids leaves here. `?probe=1` answers at once with the same checks, for
// callers that cannot hold a stream open (the authorization matrix).

const HEARTBEAT_MS = 25_000; // below the usual 30–60 s idle timeouts of proxies and load balancers

export const GET = defineRoute({
  permission: "conversations:read",
  async handler(request, { viewer: signedIn, db }) {
    if (new URL(request.url).searchParams.get("probe") === "1") {
      return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
    }

    let viewer: UserViewer = { id: signedIn.id, role: signedIn.role };
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop(); // the stream is already closed
          }
        };
        const send = (event: FeedEvent) => write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        const unsubscribe = getConversationFeed(db).subscribe(() => viewer, send);
        // The heartbeat also re-reads the account, so a role change or deactivation reaches open streams.
        const heartbeat = setInterval(async () => {
          write(": heartbeat\n\n");
          const user = await getUser(db, viewer.id).catch(() => undefined);
          if (user === undefined) return; // database hiccup: keep the stream, check again next time
          if (!user || user.deactivatedAt || !can(user.role, "conversations:read")) stop();
          else viewer = { id: user.id, role: user.role };
        }, HEARTBEAT_MS);
        stop = () => {
          stop = () => {};
          clearInterval(heartbeat);
          unsubscribe();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        request.signal.addEventListener("abort", () => stop());
        // EventSource reconnects after `retry` ms when the stream drops (server restart, deploy).
        write("retry: 3000\n: connected\n\n");
      },
      cancel() {
        stop();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no", // nginx: pass events through unbuffered
      },
    });
  },
});
