export { AuditPage } from './AuditPage';
export { LegacyAuditPage } from './LegacyAuditPage';
