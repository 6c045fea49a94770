export { ApprovalsPage } from './ApprovalsPage';
export { LegacyApprovalsPage } from './LegacyApprovalsPage';
