import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { runbookApiRef } from '../../api';
import { RunProgress } from '../RunProgress';
import { ClusterPicker } from '../RunbookContent/ClusterPicker';

/**
 * "Run diagnostics" on a service: the runbook's troubleshooting checks as one read-only
 * run, followed live, with its report once it ends.
 */
export const DiagnosticsCard = (props: {
  entityRef: string;
  /** The clusters the service runs in: with several, the run names the one picked. */
  clusters?: string[];
}) => {
  const api = useApi(runbookApiRef);
  const several = (props.clusters?.length ?? 0) > 1;
  const [picked, setPicked] = useState<string>();
  const cluster = several ? picked ?? props.clusters![0] : undefined;
  const [runId, setRunId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<Error>();
  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const { run } = await api.startRun(
        props.entityRef,
        { action: 'diagnostics', input: {}, ...(cluster ? { cluster } : {}) },
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
      <ClusterPicker
        clusters={props.clusters}
        value={cluster ?? ''}
        onChange={setPicked}
      />
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
