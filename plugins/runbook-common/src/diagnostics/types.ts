import type { RunbookActionName } from '../actions';
import type { ResponseChecklist } from '../health/types';

/** How one check, or the whole diagnosis, came out. @public */
export type DiagnosticStatus = 'ok' | 'warn' | 'fail';

/** One check of a diagnosis, about one entity (the service or one of its dependencies). @public */
export type DiagnosticCheck = {
  /** Stable per kind of check, e.g. `pods`, `error-logs`, `dependency`. */
  id: string;
  entityRef: string;
  title: string;
  status: DiagnosticStatus;
  /** What was found, one fact per line. */
  evidence: string[];
  /** On warn or fail: the runbook entry to follow, and the action that fixes it. */
  troubleshooting?: ResponseChecklist & { fixAction?: RunbookActionName };
};

/** The `result` of a `diagnostics` run. @public */
export type DiagnosticsReport = {
  kind: 'diagnostics';
  /** The worst status of any check. */
  verdict: DiagnosticStatus;
  checkedAt: string;
  checks: DiagnosticCheck[];
  /** Checks that were not made, and why (e.g. "metrics: Prometheus not configured"). */
  skipped?: string[];
};

const RANK: Record<DiagnosticStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst of some statuses; `ok` for none. @public */
export function worstDiagnosticStatus(
  statuses: DiagnosticStatus[],
): DiagnosticStatus {
  return statuses.reduce<DiagnosticStatus>(
    (worst, s) => (RANK[s] > RANK[worst] ? s : worst),
    'ok',
  );
}
