import { LegacyPage } from '../LegacyPage';
import { RunPage } from './RunPage';

/** A run's page with its own header, for the legacy frontend system. */
export const LegacyRunPage = () => (
  <LegacyPage title="Runbook run">
    <RunPage />
  </LegacyPage>
);
