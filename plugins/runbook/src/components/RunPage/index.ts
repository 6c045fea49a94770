export { RunPage } from './RunPage';
export { LegacyRunPage } from './LegacyRunPage';
