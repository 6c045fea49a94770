export { IncidentDetail } from './IncidentDetail';
export { IncidentList } from './IncidentList';
export { IncidentStatsLine } from './IncidentStatsLine';
export { SeverityChip } from './SeverityChip';
export { RespondBy } from './RespondBy';
