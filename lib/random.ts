// Deterministic randomness for the demo data (db/seed) and the simulated platform's audio: the same
// seed always yields the same data.
// Every conversation, customer and recording draws from its own stream, keyed by (seed, kind,
// index). sfc32 keeps 128 bits of state, so a million streams do not run into each other; a
// 32-bit generator (mulberry32) does: its streams are shifted copies of one cycle and collide.

export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Integer in [min, max] (inclusive). */
  int: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** Picks by relative weight: [[value, weight], ...]. */
  weighted: <T>(entries: readonly (readonly [T, number])[]) => T;
  /** Picks a key by relative weight: { a: 3, b: 1 }. */
  choose: <K extends string>(weights: Partial<Record<K, number>>) => K;
  hex: (length: number) => string;
  digits: (length: number) => string;
  uuid: () => string;
  /** A UUIDv7 whose timestamp is `ms`, so ids sort like creation times (append-friendly btree inserts). */
  uuidv7: (ms: number) => string;
};

/** Stream kinds: what a random stream is for, the first number after the seed. */
export const STREAM = { catalog: 1, customer: 2, conversation: 3, recording: 4, voice: 5, noise: 6 } as const;

/** Hashes a seed and stream numbers into one 32-bit word (murmur3-style mixing). */
function mixSeed(seed: number, ...streams: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const s of streams) {
    h = Math.imul(h ^ (s >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** sfc32 ("small fast counter"), a 128-bit-state generator. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const HEX = "0123456789abcdef";

/** The stream for (seed, ...streams): e.g. createRng(seed, STREAM.conversation, i). */
export function createRng(seed: number, ...streams: number[]): Rng {
  const next = sfc32(
    mixSeed(seed, ...streams, 1),
    mixSeed(seed, ...streams, 2),
    mixSeed(seed, ...streams, 3),
    mixSeed(seed, ...streams, 4),
  );
  for (let i = 0; i < 12; i++) next(); // let the seed words diffuse through the state
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) => {
    let out = "";
    for (let i = 0; i < length; i++) out += HEX[Math.floor(next() * 16)];
    return out;
  };
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as (typeof entries)[number])[0];
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted,
    choose: (weights) => weighted(Object.entries(weights) as [keyof typeof weights, number][]),
    hex,
    digits: (length) => {
      let out = "";
      for (let i = 0; i < length; i++) out += Math.floor(next() * 10);
      return out;
    },
    uuid: () => {
      const h = hex(32);
      const variant = HEX[8 + Math.floor(next() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    uuidv7: (ms) => {
      const t = Math.floor(ms).toString(16).padStart(12, "0");
      const h = hex(20);
      const variant = HEX[8 + Math.floor(next() * 4)];
      return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-${variant}${h.slice(3, 6)}-${h.slice(6, 18)}`;
    },
  };
}
