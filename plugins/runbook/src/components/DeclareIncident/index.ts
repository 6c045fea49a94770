export { DeclareIncidentButton } from './DeclareIncidentButton';
export { DeclareIncidentDialog } from './DeclareIncidentDialog';
export type { DeclareIncidentDefaults } from './DeclareIncidentDialog';
export { SEVERITY_DESCRIPTIONS } from './severityDescriptions';
