// MOS from the ITU-T G.107 E-model, simplified: the default values for everything except the
// delay impairment (Id) and the effective equipment impairment (Ie-eff). One named model, so the
// figures can be explained: the UI shows MOS_MODEL beside them.

export const MOS_MODEL = "ITU-T G.107 E-model (simplified)";

// R with G.107's default parameters and no impairments (Ro − Is = 93.2).
const R_DEFAULT = 93.2;

/** Equipment impairment Ie and packet-loss robustness Bpl (ITU-T G.113 Appendix I). */
const CODECS: Record<string, { ie: number; bpl: number }> = {
  PCMU: { ie: 0, bpl: 25.1 }, // G.711 with packet loss concealment
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 }, // scored on the narrowband scale, as G.711
  G729: { ie: 11, bpl: 19 },
  G723: { ie: 15, bpl: 16.1 },
  GSM: { ie: 20, bpl: 10 },
  ILBC: { ie: 10, bpl: 32 },
};

export function codecImpairment(codec: string | null): { ie: number; bpl: number; known: boolean } {
  const c = CODECS[(codec ?? "").toUpperCase()];
  // Unknown codecs (Opus…) are scored as G.711: flagged so the UI can say so.
  return c ? { ...c, known: true } : { ie: 0, bpl: 25.1, known: false };
}

/** Id, simplified (Cole & Rosenbluth's fit of G.107): linear, steeper beyond 177.3 ms one-way. */
export function delayImpairment(oneWayDelayMs: number): number {
  const d = Math.max(0, oneWayDelayMs);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** Ie-eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl), random loss (BurstR = 1). */
export function effectiveEquipmentImpairment(codec: string | null, lossPercent: number): number {
  const { ie, bpl } = codecImpairment(codec);
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return ie + ((95 - ie) * ppl) / (ppl + bpl);
}

/** G.107 R → MOS (the standard cubic), clamped to the model's range [1, 4.5]. */
export function rToMos(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
  return Math.min(4.5, Math.max(1, mos));
}

export type MosInput = {
  codec: string | null;
  /** Packet loss in percent (0…100); negative (duplicates) counts as none. */
  lossPercent: number;
  /** One-way delay in ms (RTT / 2); null when unknown: the delay term is then left out. */
  oneWayDelayMs: number | null;
};

export function rFactor(input: MosInput): number {
  const id = input.oneWayDelayMs === null ? 0 : delayImpairment(input.oneWayDelayMs);
  return R_DEFAULT - id - effectiveEquipmentImpairment(input.codec, Math.max(0, input.lossPercent));
}

/** MOS (1…4.5) rounded to 2 decimals. */
export function mos(input: MosInput): number {
  return Math.round(rToMos(rFactor(input)) * 100) / 100;
}
