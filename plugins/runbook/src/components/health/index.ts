export { HealthStatusChip } from './HealthStatusChip';
export { HealthSummary } from './HealthSummary';
export { PodTable } from './PodTable';
export { MetricCharts } from './MetricCharts';
export { EventList } from './EventList';
export { LogTail } from './LogTail';
