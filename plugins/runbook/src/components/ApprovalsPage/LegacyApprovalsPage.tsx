import { LegacyPage } from '../LegacyPage';
import { ApprovalsPage } from './ApprovalsPage';

/** The approvals page with its own header, for the legacy frontend system. */
export const LegacyApprovalsPage = () => (
  <LegacyPage title="Approvals">
    <ApprovalsPage />
  </LegacyPage>
);
