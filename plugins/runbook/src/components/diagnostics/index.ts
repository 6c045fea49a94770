export { DiagnosticsCard } from './DiagnosticsCard';
export { DiagnosticsReportView } from './DiagnosticsReportView';
