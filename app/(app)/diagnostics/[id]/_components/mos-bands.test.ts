import { describe, expect, it } from "vitest";
import { MOS_BANDS, mosBand } from "./mos-bands";

// The band edges are G.109's R thresholds put through G.107's R → MOS formula.
const rToMos = (r: number) => 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;

describe("mosBand", () => {
  it("has G.107's MOS for R = 90, 80, 70, 60, 50 as its edges", () => {
    expect(MOS_BANDS.slice(0, 5).map((b) => b.min)).toEqual(
      [90, 80, 70, 60, 50].map((r) => Math.round(rToMos(r) * 100) / 100),
    );
  });

  it("puts each MOS in the band whose floor it reaches", () => {
    expect(mosBand(4.4)?.label).toBe("Very satisfied");
    expect(mosBand(4.34)?.label).toBe("Very satisfied");
    expect(mosBand(4.33)?.label).toBe("Satisfied");
    expect(mosBand(3.6)?.label).toBe("Some users dissatisfied");
    expect(mosBand(3.2)?.label).toBe("Many users dissatisfied");
    expect(mosBand(2.6)?.label).toBe("Nearly all users dissatisfied");
    expect(mosBand(2.5)?.label).toBe("Not recommended");
    expect(mosBand(0.5)?.label).toBe("Not recommended");
  });

  it("has no band for a MOS not measured", () => {
    expect(mosBand(null)).toBeNull();
    expect(mosBand(Number.NaN)).toBeNull();
  });
});
