import { LegacyPage } from '../LegacyPage';
import { OverviewPage } from './OverviewPage';

/** The ops overview with its own header, for the legacy frontend system. */
export const LegacyOverviewPage = () => (
  <LegacyPage title="Ops overview">
    <OverviewPage />
  </LegacyPage>
);
