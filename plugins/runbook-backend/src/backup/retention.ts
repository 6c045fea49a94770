import type { BackupItem } from '@nexus-cos/plugin-runbook-common';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many backups of a target are kept: the newest N, and any younger than D days. */
export type RetentionRules = { keepLast: number; keepDays: number };

/**
 * The backups the rules no longer keep: not among the newest `keepLast` and older than
 * `keepDays` at `now`. `backups` are one target's, of one kind.
 */
export function prunable<T extends Pick<BackupItem, 'id' | 'createdAt'>>(
  backups: T[],
  rules: RetentionRules,
  now: Date,
): T[] {
  const newestFirst = [...backups].sort(
    (a, b) =>
      Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
      b.id.localeCompare(a.id),
  );
  const cutoff = now.getTime() - rules.keepDays * DAY_MS;
  return newestFirst
    .slice(Math.max(0, rules.keepLast))
    .filter(b => Date.parse(b.createdAt) < cutoff);
}
