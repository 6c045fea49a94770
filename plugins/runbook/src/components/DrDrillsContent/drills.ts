import type { DrDrillReport, Run } from '@nexus-cos/plugin-runbook-common';

/** A finished drill with its report. */
export type Drill = { run: Run; report: DrDrillReport; at: number };

/** The drills among runs that carry a report, oldest first (as a chart reads them). */
export function drillsOf(runs: Run[]): Drill[] {
  return runs
    .filter(
      r =>
        r.action === 'dr-drill' &&
        r.finishedAt &&
        (r.after as DrDrillReport | undefined)?.kind === 'dr-drill',
    )
    .map(run => ({
      run,
      report: run.after as DrDrillReport,
      at: Date.parse(run.finishedAt!),
    }))
    .sort((a, b) => a.at - b.at);
}

/** Seconds as people read a recovery time: "42 s", "3 min 5 s", "2 h 10 min". */
export function formatSeconds(value: number | undefined): string {
  if (value === undefined) return '—';
  const s = Math.round(value);
  if (s < 60) return `${value < 10 ? value.toFixed(1) : s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
