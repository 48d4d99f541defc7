import pg from "pg";

// The worker's ear for new webhook deliveries: the triggers that write them NOTIFY
// `parley_webhooks`; each notification (coalesced) wakes the dispatcher, so an event goes out in
// milliseconds instead of at the next minute's scheduled pass, which stays as the safety net for
// notifications missed while this connection was down.

export const WEBHOOKS_CHANNEL = "parley_webhooks";
const COALESCE_MS = 50;
const MAX_RETRY_MS = 10_000;

export type Wake = { close: () => Promise<void> };

export function listenForWebhooks(
  connectionString: string,
  onWake: () => Promise<unknown>,
  log: (line: string) => void,
): Wake {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;

  const wake = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      onWake().catch((err: Error) => log(`[webhooks] wake failed: ${err.message}`));
    }, COALESCE_MS);
  };
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, application_name: "parley-worker-webhooks" });
    c.on("notification", wake);
    c.on("error", (err) => {
      log(`[webhooks] listener lost: ${err.message}`);
      c.end().catch(() => {});
      if (client === c) client = null;
      schedule();
    });
    try {
      await c.connect();
      await c.query(`listen ${WEBHOOKS_CHANNEL}`);
      if (closed) return void (await c.end());
      client = c;
      retryMs = 250;
      wake(); // deliveries written while nobody listened
    } catch (err) {
      log(`[webhooks] listener could not connect: ${(err as Error).message}`);
      await c.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
