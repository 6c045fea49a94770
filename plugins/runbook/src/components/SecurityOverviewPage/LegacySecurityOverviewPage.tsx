import { LegacyPage } from '../LegacyPage';
import { SecurityOverviewPage } from './SecurityOverviewPage';

/** The security overview with its own header, for the legacy frontend system. */
export const LegacySecurityOverviewPage = () => (
  <LegacyPage title="Security overview">
    <SecurityOverviewPage />
  </LegacyPage>
);
