import { describe, expect, test } from "vitest";
import { delayImpairment, effectiveEquipmentImpairment, MOS_MODEL, mos, rFactor, rToMos } from "./emodel.ts";

describe("E-model (ITU-T G.107, simplified)", () => {
  test("names itself", () => {
    expect(MOS_MODEL).toBe("ITU-T G.107 E-model (simplified)");
  });

  test("G.711, no loss, low delay ≈ 4.4", () => {
    expect(mos({ codec: "PCMU", lossPercent: 0, oneWayDelayMs: 10 })).toBeCloseTo(4.4, 1);
    expect(mos({ codec: "PCMA", lossPercent: 0, oneWayDelayMs: null })).toBe(4.41);
    expect(rFactor({ codec: "PCMU", lossPercent: 0, oneWayDelayMs: null })).toBe(93.2);
  });

  test("loss, delay and a lower-rate codec each lower the score", () => {
    const clean = mos({ codec: "PCMU", lossPercent: 0, oneWayDelayMs: 20 });
    expect(mos({ codec: "PCMU", lossPercent: 2, oneWayDelayMs: 20 })).toBeLessThan(clean);
    expect(mos({ codec: "PCMU", lossPercent: 0, oneWayDelayMs: 300 })).toBeLessThan(clean);
    expect(mos({ codec: "G729", lossPercent: 0, oneWayDelayMs: 20 })).toBeLessThan(clean);
    // Ie-eff = Ie + (95 − Ie)·Ppl/(Ppl + Bpl): G.711 (Bpl 25.1) at 5 % loss.
    expect(effectiveEquipmentImpairment("PCMU", 5)).toBeCloseTo((95 * 5) / 30.1, 6);
    // Id: 0.024·d below 177.3 ms, plus 0.11·(d − 177.3) above it.
    expect(delayImpairment(100)).toBeCloseTo(2.4, 6);
    expect(delayImpairment(277.3)).toBeCloseTo(0.024 * 277.3 + 11, 6);
  });

  test("the score stays in [1, 4.5] whatever goes in; duplicates (negative loss) count as none", () => {
    expect(mos({ codec: "PCMU", lossPercent: 100, oneWayDelayMs: 5000 })).toBe(1);
    expect(mos({ codec: "PCMU", lossPercent: -3, oneWayDelayMs: 0 })).toBe(4.41);
    expect(rToMos(-20)).toBe(1);
    expect(rToMos(150)).toBe(4.5);
    for (let r = 0; r <= 100; r += 0.5) {
      expect(rToMos(r)).toBeGreaterThanOrEqual(1);
      expect(rToMos(r)).toBeLessThanOrEqual(4.5);
    }
  });
});
