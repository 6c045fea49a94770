import type { DiagnosticStatus } from '@nexus-cos/plugin-runbook-common';
import type { RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import type { ClusterClients } from '../../kubernetes/KubernetesClients';

/** What the checks of one service read. */
export type CheckContext = {
  target: RunbookTarget;
  cluster: ClusterClients;
  now: Date;
  /** How far back the error-log check looks. */
  logWindowSeconds: number;
};

/** The runbook's `-l app=<svc>`: every pod of the service, whatever its colour. */
export const appSelector = (ctx: CheckContext) => `app=${ctx.target.service}`;

/** "3 min ago", "2 h ago": ages in evidence lines. */
export function ago(then: Date | string | undefined, now: Date): string {
  if (!then) return 'at an unknown time';
  const s = Math.max(0, (now.getTime() - new Date(then).getTime()) / 1000);
  if (s < 120) return `${Math.round(s)} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** A share of a limit in use: ok below `warnAt`, then warn, and fail from `failAt`. */
export function statusOfShare(
  share: number,
  warnAt: number,
  failAt: number,
): DiagnosticStatus {
  if (share >= failAt) return 'fail';
  return share >= warnAt ? 'warn' : 'ok';
}
