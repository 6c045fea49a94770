import type { IncidentSeverity } from '@nexus-cos/plugin-runbook-common';

/**
 * The runbook's "Severity Levels": what each severity means and its response time, for the
 * people choosing one. -common has the response targets but not this text.
 */
export const SEVERITY_DESCRIPTIONS: Record<
  IncidentSeverity,
  { label: string; examples: string; response: string }
> = {
  P0: {
    label: 'Critical',
    examples: 'Complete service outage, data loss, security breach',
    response: 'Immediate',
  },
  P1: {
    label: 'High',
    examples: 'Major feature down, significant performance degradation',
    response: '15 minutes',
  },
  P2: {
    label: 'Medium',
    examples: 'Minor feature down, moderate performance issues',
    response: '2 hours',
  },
  P3: {
    label: 'Low',
    examples: 'Cosmetic issues, minor bugs',
    response: 'Next business day',
  },
};
