import { fnv1a32 } from '../api/meta';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Stable JSON: keys sorted, so equal templates hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter(k => (value as any)[k] !== undefined)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The `pod-template-hash` of a pod template: FNV-1a 32-bit, spelt in Kubernetes' safe
 * alphabet. A collision count, when given, salts it (the deployment controller's
 * `status.collisionCount`).
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const hash = fnv1a32(
    canonical(template) + (collisionCount ? `#${collisionCount}` : ''),
  );
  let out = '';
  for (const digit of String(hash))
    out += ALPHABET[Number(digit) + (out.length % 2 ? 10 : 0)];
  return out;
}
