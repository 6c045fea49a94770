import type { z } from 'zod';
import { backupAction } from './definitions/backup';
import { blueGreenDecommissionAction } from './definitions/blueGreenDecommission';
import { blueGreenDeployAction } from './definitions/blueGreenDeploy';
import { blueGreenSwitchAction } from './definitions/blueGreenSwitch';
import { checklistAction } from './definitions/checklist';
import { configBackupAction } from './definitions/configBackup';
import { configRestoreAction } from './definitions/configRestore';
import { configureAutoscalingAction } from './definitions/configureAutoscaling';
import { deletePodAction } from './definitions/deletePod';
import { diagnosticsAction } from './definitions/diagnostics';
import { drDrillAction } from './definitions/drDrill';
import { pauseRolloutAction } from './definitions/pauseRollout';
import { renewCertificateAction } from './definitions/renewCertificate';
import { restartAction } from './definitions/restart';
import { restoreAction } from './definitions/restore';
import { resumeRolloutAction } from './definitions/resumeRollout';
import { reviewAccessAction } from './definitions/reviewAccess';
import { rollbackAction } from './definitions/rollback';
import { rotateDbPasswordAction } from './definitions/rotateDbPassword';
import { rotateSecretAction } from './definitions/rotateSecret';
import { scaleAction } from './definitions/scale';
import { setImageAction } from './definitions/setImage';
import { setResourcesAction } from './definitions/setResources';
import { startAction } from './definitions/start';
import { stopAction } from './definitions/stop';
import { verifyBackupAction } from './definitions/verifyBackup';
import type {
  ActionGuard,
  AuditSeverity,
  RunbookActionDefinition,
} from './definition';

/** Lets the compiler check that each key names its own definition. */
function keyedByName<
  T extends { [K in keyof T]: RunbookActionDefinition<K & string, any> },
>(definitions: T): T {
  return definitions;
}

/**
 * Every runbook action, keyed by name, in the runbook's order. This record is the one
 * place an action is declared; everything else derives from it.
 * @public
 */
export const RUNBOOK_ACTION_DEFINITIONS = keyedByName({
  scale: scaleAction,
  stop: stopAction,
  start: startAction,
  restart: restartAction,
  'set-image': setImageAction,
  'pause-rollout': pauseRolloutAction,
  'resume-rollout': resumeRolloutAction,
  rollback: rollbackAction,
  'set-resources': setResourcesAction,
  'configure-autoscaling': configureAutoscalingAction,
  'blue-green-deploy': blueGreenDeployAction,
  'blue-green-switch': blueGreenSwitchAction,
  'blue-green-decommission': blueGreenDecommissionAction,
  'delete-pod': deletePodAction,
  diagnostics: diagnosticsAction,
  checklist: checklistAction,
  'dr-drill': drDrillAction,
  backup: backupAction,
  'verify-backup': verifyBackupAction,
  restore: restoreAction,
  'config-backup': configBackupAction,
  'config-restore': configRestoreAction,
  'renew-certificate': renewCertificateAction,
  'rotate-secret': rotateSecretAction,
  'rotate-db-password': rotateDbPasswordAction,
  'review-access': reviewAccessAction,
});

/** @public */
export type RunbookActionName = keyof typeof RUNBOOK_ACTION_DEFINITIONS;

/** Names of the runbook actions, in the runbook's order. @public */
export const RUNBOOK_ACTIONS = Object.keys(
  RUNBOOK_ACTION_DEFINITIONS,
) as RunbookActionName[];

/** The input of one action, as its schema infers it. @public */
export type RunbookActionInput<
  A extends RunbookActionName = RunbookActionName,
> = z.infer<(typeof RUNBOOK_ACTION_DEFINITIONS)[A]['input']>;

/** The definition of one action, typed loosely enough to use generically. @public */
export function actionDefinition(
  action: RunbookActionName,
): RunbookActionDefinition {
  return RUNBOOK_ACTION_DEFINITIONS[action] as RunbookActionDefinition;
}

/** Names of the action's secret input fields. @public */
export function secretInputFields(action: RunbookActionName): string[] {
  return actionDefinition(action)
    .fields.filter(f => f.secret)
    .map(f => f.name);
}

/** What this input of the action asks for beyond the action's rules, if anything. @public */
export function actionGuard(
  action: RunbookActionName,
  input: unknown,
): ActionGuard | undefined {
  return actionDefinition(action).guard?.(input);
}

const SEVERITY_ORDER: AuditSeverity[] = ['low', 'medium', 'high', 'critical'];

/** The higher of two audit severities. @public */
export function higherAuditSeverity(
  a: AuditSeverity,
  b: AuditSeverity,
): AuditSeverity {
  return SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;
}

/** The severity a run of the action with this input is audited at. @public */
export function auditSeverityOf(
  action: RunbookActionName,
  input: unknown,
): AuditSeverity {
  const { auditSeverity } = actionDefinition(action);
  const raised = actionGuard(action, input)?.auditSeverity;
  return raised ? higherAuditSeverity(auditSeverity, raised) : auditSeverity;
}
