export { AnalysisChart } from './AnalysisChart';
