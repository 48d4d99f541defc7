// When conversations start: the last 30 days, busier in (UTC) business hours and on weekdays.
// Conversation i's start time grows with i, so generation order is chronological and the
// time-ordered ids append to the indexes instead of splitting pages all over them.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const HISTORY_DAYS = 30;

// Relative contact volume per UTC hour: Europe's morning plus the Americas' afternoon.
const HOUR_WEIGHT = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.0, 1.1, 1.15, 1.1, 1.05, 1.1, 1.2, 1.25, 1.2, 1.1, 0.95, 0.8,
  0.6, 0.45, 0.3, 0.2,
];
const WEEKEND_FACTOR = 0.45;

export type Schedule = {
  /** Conversations 0..history-1 are finished and spread over the window; the rest are live now. */
  history: number;
  live: number;
  /** Start time (ms) of finished conversation i, r in [0, 1) jitters it within its slot. */
  startOf: (i: number, r: number) => number;
  /** The newest start a finished conversation may have, so it has ended well before now. */
  historyEnd: number;
};

export function createSchedule(now: number, total: number): Schedule {
  // A few live conversations, as many as a contact center of this size would have at once.
  const live = Math.min(Math.floor(total / 2), Math.max(6, Math.min(200, Math.round(total / 200))));
  const history = total - live;
  const start = now - HISTORY_DAYS * DAY;
  const end = now - HOUR;
  // Piecewise-constant density over hour buckets; cumulative weight for inverse-CDF sampling.
  const edges: number[] = [start];
  for (let t = Math.floor(start / HOUR) * HOUR + HOUR; t < end; t += HOUR) edges.push(t);
  edges.push(end);
  const cumulative: number[] = [0];
  for (let b = 0; b < edges.length - 1; b++) {
    const from = edges[b] as number;
    const to = edges[b + 1] as number;
    const date = new Date(from);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const w = (HOUR_WEIGHT[date.getUTCHours()] as number) * (weekend ? WEEKEND_FACTOR : 1);
    cumulative.push((cumulative[b] as number) + (w * (to - from)) / HOUR);
  }
  const totalWeight = cumulative[cumulative.length - 1] as number;
  return {
    history,
    live,
    historyEnd: end,
    startOf: (i, r) => {
      const target = ((i + r) / history) * totalWeight;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) <= target) lo = mid;
        else hi = mid;
      }
      const c0 = cumulative[lo] as number;
      const c1 = cumulative[hi] as number;
      const e0 = edges[lo] as number;
      const e1 = edges[hi] as number;
      return Math.floor(e0 + ((target - c0) / (c1 - c0 || 1)) * (e1 - e0));
    },
  };
}
