import { unit } from './random';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Noise changes smoothly between knots this far apart (simulated time). */
const NOISE_KNOT_MS = 60_000;

/**
 * The load multiplier of one service at a simulated instant: a daily shape (quiet at
 * night, peaks late morning and evening) times ±10% noise, both fixed by the seed. The
 * mean over a day is about 1.
 */
export function loadMultiplier(seed: string, service: string, simMs: number) {
  const phase = unit(seed, service, 'phase') * 2 * Math.PI * 0.1;
  const day = ((simMs % DAY_MS) / DAY_MS) * 2 * Math.PI + phase;
  // Two harmonics: a trough around 04:00 and a second, smaller evening peak.
  const daily =
    1 - 0.45 * Math.cos(day - Math.PI / 6) + 0.15 * Math.cos(2 * day - 0.5);
  const knot = Math.floor(simMs / NOISE_KNOT_MS);
  const f = simMs / NOISE_KNOT_MS - knot;
  const a = unit(seed, service, knot);
  const b = unit(seed, service, knot + 1);
  // Cosine interpolation between knots keeps the noise continuous.
  const w = (1 - Math.cos(f * Math.PI)) / 2;
  const noise = 0.9 + 0.2 * (a * (1 - w) + b * w);
  return daily * noise;
}
