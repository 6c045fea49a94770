import type { RunbookActionExecutors } from '@nexus-cos/plugin-runbook-node';
import type { MetricAnalysis } from '../../analysis/MetricAnalysis';
import type { BackupActionExecutors } from '../../backup/executors';
import type { DrDrillExecutor } from '../../backup/DrDrillExecutor';
import type { ChecklistExecutor } from '../../checklist/ChecklistExecutor';
import type { DiagnosticsExecutor } from '../../diagnostics/DiagnosticsExecutor';
import type { KubernetesClients } from '../../kubernetes/KubernetesClients';
import type { SecurityExecutors } from '../../security/setUpSecurity';
import { blueGreenDecommission } from './blueGreenDecommission';
import { blueGreenDeploy } from './blueGreenDeploy';
import { blueGreenSwitch } from './blueGreenSwitch';
import { clusterChange } from './clusterChange';
import { configureAutoscaling } from './configureAutoscaling';
import { deletePod } from './deletePod';
import { pauseRollout } from './pauseRollout';
import { restart } from './restart';
import { resumeRollout } from './resumeRollout';
import { rollback } from './rollback';
import { scale } from './scale';
import { setImage } from './setImage';
import { setResources } from './setResources';
import { start } from './start';
import { stop } from './stop';
import { task } from './task';

/** What the built-in executors need. */
export type ActionDeps = {
  clients: KubernetesClients;
  pollIntervalMs: number;
  analysis: MetricAnalysis;
  checklist: ChecklistExecutor;
  drDrill: DrDrillExecutor;
  diagnostics: DiagnosticsExecutor;
  /** backup, verify-backup, restore, config-backup, config-restore. */
  backups: BackupActionExecutors;
  /** renew-certificate, rotate-secret, rotate-db-password and review-access. */
  security: SecurityExecutors;
};

/** The built-in executor of every action, one entry each; the compiler reports a gap. */
export function createActionExecutors(
  deps: ActionDeps,
): RunbookActionExecutors {
  const cluster = {
    clients: deps.clients,
    pollIntervalMs: deps.pollIntervalMs,
    analysis: deps.analysis,
  };
  return {
    scale: clusterChange(scale, cluster),
    stop: clusterChange(stop, cluster),
    start: clusterChange(start, cluster),
    restart: clusterChange(restart, cluster),
    'set-image': clusterChange(setImage, cluster),
    'pause-rollout': clusterChange(pauseRollout, cluster),
    'resume-rollout': clusterChange(resumeRollout, cluster),
    rollback: clusterChange(rollback, cluster),
    'set-resources': clusterChange(setResources, cluster),
    'configure-autoscaling': clusterChange(configureAutoscaling, cluster),
    'blue-green-deploy': clusterChange(blueGreenDeploy, cluster),
    'blue-green-switch': clusterChange(blueGreenSwitch, cluster),
    'blue-green-decommission': clusterChange(blueGreenDecommission, cluster),
    'delete-pod': clusterChange(deletePod, cluster),
    diagnostics: task({
      run: async (target, input, ctx) => ({
        result: await deps.diagnostics.diagnose(target, input, ctx),
      }),
    }),
    checklist: task({
      run: async (target, input, ctx) => ({
        after: await deps.checklist.check(target, input, ctx),
      }),
    }),
    'dr-drill': task({
      prepare: target => deps.drDrill.prepared(target),
      run: async (target, input, ctx) => ({
        after: await deps.drDrill.drill(target, input, ctx),
      }),
    }),
    ...deps.backups,
    'renew-certificate': deps.security['renew-certificate'],
    'rotate-secret': deps.security['rotate-secret'],
    'rotate-db-password': deps.security['rotate-db-password'],
    'review-access': deps.security['review-access'],
  };
}
