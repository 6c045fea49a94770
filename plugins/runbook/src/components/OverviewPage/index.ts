export { OverviewPage } from './OverviewPage';
export { LegacyOverviewPage } from './LegacyOverviewPage';
