import { StructuredMetadataTable } from '@backstage/core-components';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { actionFormOf } from '../RunbookContent/actionForm';
import { maskSecretInputs } from '../secrets';

const json = (value?: Record<string, unknown>) =>
  value ? JSON.stringify(value) : '—';

/**
 * What a run acts on and asked for, and the live state before and after it. The engine
 * stores no secret input; its secret fields are masked all the same.
 */
export const RunDetails = (props: { run: Run }) => {
  const { run } = props;
  const { fields } = actionFormOf(run.action);
  return (
    <StructuredMetadataTable
      metadata={{
        Entity: run.entityRef,
        Input: json(run.input && maskSecretInputs(fields, run.input)),
        Reason: run.reason ?? '—',
        Before: json(run.before),
        After: json(run.after),
      }}
    />
  );
};
