import { DateTime, Duration } from 'luxon';

/** "1m 5s" between two ISO instants; undefined while the end is not known. */
export function formatDuration(
  start?: string,
  end?: string,
): string | undefined {
  if (!start || !end) return undefined;
  const ms = DateTime.fromISO(end).diff(DateTime.fromISO(start)).toMillis();
  return formatMillis(ms);
}

/** "2h 3m", "1m 5s" or "450 ms", dropping zero-valued leading units. */
export function formatMillis(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const { hours, minutes, seconds } = Duration.fromMillis(ms)
    .shiftTo('hours', 'minutes', 'seconds')
    .toObject();
  const parts: string[] = [];
  if (hours) parts.push(`${hours}h`);
  if (hours || minutes) parts.push(`${minutes}m`);
  if (!hours) parts.push(`${Math.floor(seconds ?? 0)}s`);
  return parts.join(' ');
}
