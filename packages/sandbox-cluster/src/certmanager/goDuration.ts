const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go `time.Duration` string (`2160h`, `1h30m`, `90m`, `1.5h`) as cert-manager's
 * `metav1.Duration` fields are written; undefined when it is not one.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([-+]?)((?:\d*\.?\d+(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let ms = 0;
  for (const [, value, unit] of match[2].matchAll(
    /(\d*\.?\d+)(ns|us|µs|ms|s|m|h)/g,
  ))
    ms += Number(value) * UNIT_MS[unit];
  return match[1] === '-' ? -ms : ms;
}

/** Formats milliseconds as Go prints a Duration: `2160h0m0s`, `5m0s`, `30s`. */
export function formatGoDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest === 0 ? '0s' : `${rest}ms`}`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${Number((rest / 1000).toFixed(9))}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}
