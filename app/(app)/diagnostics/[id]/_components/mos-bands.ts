// MOS quality bands: the user-satisfaction categories of ITU-T G.109 on the E-model's R scale
// (90/80/70/60/50), turned into MOS with ITU-T G.107's R → MOS formula (4.34, 4.02, 3.60, 3.10, 2.58).

export const MOS_BANDS_SOURCE =
  "Bands: ITU-T G.107 (E-model, R to MOS) with the user-satisfaction categories of ITU-T G.109";

export type MosBand = { min: number; label: string; tone: "good" | "fair" | "poor" };

/** Highest first; each band holds MOS ≥ its min (and below the previous band's). */
export const MOS_BANDS: readonly MosBand[] = [
  { min: 4.34, label: "Very satisfied", tone: "good" },
  { min: 4.02, label: "Satisfied", tone: "good" },
  { min: 3.6, label: "Some users dissatisfied", tone: "fair" },
  { min: 3.1, label: "Many users dissatisfied", tone: "fair" },
  { min: 2.58, label: "Nearly all users dissatisfied", tone: "poor" },
  { min: 1, label: "Not recommended", tone: "poor" },
];

/** The band a MOS falls in; null when it was not measured. */
export function mosBand(mos: number | null | undefined): MosBand | null {
  if (mos === null || mos === undefined || !Number.isFinite(mos)) return null;
  return MOS_BANDS.find((b) => mos >= b.min) ?? (MOS_BANDS.at(-1) as MosBand);
}
