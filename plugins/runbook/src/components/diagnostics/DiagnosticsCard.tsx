import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { runbookApiRef } from '../../api';
import { RunProgress } from '../RunProgress';

/**
 * "Run diagnostics" on a service: the runbook's troubleshooting checks as one read-only
 * run, followed live, with its report once it ends.
 */
export const DiagnosticsCard = (props: { entityRef: string }) => {
  const api = useApi(runbookApiRef);
  const [runId, setRunId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<Error>();
  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const { run } = await api.startRun(
        props.entityRef,
        { action: 'diagnostics', input: {} },
        { idempotencyKey: crypto.randomUUID() },
      );
      setRunId(run.id);
    } catch (e) {
      setError(e as Error);
    } finally {
      setStarting(false);
    }
  };
  return (
    <InfoCard
      title="Diagnostics"
      action={
        <Button
          variant="outlined"
          color="primary"
          onClick={start}
          disabled={starting}
        >
          Run diagnostics
        </Button>
      }
    >
      {error && <ResponseErrorPanel error={error} />}
      {runId ? (
        <RunProgress key={runId} runId={runId} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          Checks pods, CPU and memory, error logs, the autoscaler, every
          dependency and the golden signals, the way the runbook's
          troubleshooting guide does. Changes nothing.
        </Typography>
      )}
    </InfoCard>
  );
};
