/** A 32-bit FNV-1a hash: turns a seed and a name into a stable number. */
export function hash(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A stable number in [0, 1) for the given parts. */
export function unit(...parts: Array<string | number>): number {
  return hash(...parts) / 2 ** 32;
}

/** A stable number in [min, max) for the given parts. */
export function between(
  min: number,
  max: number,
  ...parts: Array<string | number>
): number {
  return min + (max - min) * unit(...parts);
}

/** A seeded pseudo-random sequence (mulberry32), for choices that repeat. */
export function sequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
