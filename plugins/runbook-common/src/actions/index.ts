export * from './definition';
export * from './limits';
export * from './parts';
export * from './registry';
export * from './request';
export {
  PRE_DEPLOYMENT_CHECKLIST,
  type PreDeploymentChecklistItem,
} from './definitions/checklist';
export {
  MAX_GRACE_PERIOD_SECONDS,
  gracePeriodSchema,
} from './definitions/stop';
export { RESTORE_MODES, type RestoreMode } from './definitions/restore';
export { BACKUP_ID_PATTERN } from './definitions/backupId';
export {
  GENERATED_SECRET_LENGTH,
  MAX_SECRET_VALUE_LENGTH,
} from './definitions/rotateSecret';
export { MAX_REVIEW_NOTE_LENGTH } from './definitions/reviewAccess';
