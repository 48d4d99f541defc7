// HEP_LISTEN's format, read by lib/config/env.ts at start-up and by the collector (lib/diagnostics/hep).

export type HepListen = { transport: "udp" | "tcp"; host: string; port: number };

/** "udp:127.0.0.1:9060,tcp:[::1]:9060" → listeners; throws with the offending part. */
export function parseHepListen(value: string): HepListen[] {
  return value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(udp|tcp):(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(part);
      const port = Number(m?.[4]);
      if (!m || port > 65535) throw new Error(`HEP_LISTEN: "${part}" is not udp|tcp:host:port`);
      return { transport: m[1] as "udp" | "tcp", host: (m[2] ?? m[3]) as string, port };
    });
}
