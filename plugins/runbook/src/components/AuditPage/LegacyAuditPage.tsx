import { LegacyPage } from '../LegacyPage';
import { AuditPage } from './AuditPage';

/** The audit log with its own header, for the legacy frontend system. */
export const LegacyAuditPage = () => (
  <LegacyPage title="Audit log">
    <AuditPage />
  </LegacyPage>
);
