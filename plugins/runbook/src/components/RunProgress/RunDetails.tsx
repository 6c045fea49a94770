import { StructuredMetadataTable } from '@backstage/core-components';
import type { Run } from '@nexus-cos/plugin-runbook-common';

const json = (value?: Record<string, unknown>) =>
  value ? JSON.stringify(value) : '—';

/** What a run acts on and asked for, and the live state before and after it. */
export const RunDetails = (props: { run: Run }) => {
  const { run } = props;
  return (
    <StructuredMetadataTable
      metadata={{
        Entity: run.entityRef,
        Input: json(run.input),
        Reason: run.reason ?? '—',
        Before: json(run.before),
        After: json(run.after),
      }}
    />
  );
};
