import { useCallback, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useSearchParams } from 'react-router-dom';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  ANNOTATION_RUNBOOK_ACTIONS,
  StartRunResult,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { RunProgress } from '../RunProgress';
import { LiveState } from './LiveState';
import { ReplayNotice } from './ReplayNotice';
import { RunbookActionList } from './RunbookActionList';
import { RunHistory } from './RunHistory';

/**
 * The Runbook tab of a service: its actions as forms, the run in progress and the run
 * history. Every change goes through a dry run and a confirmation first.
 */
export const RunbookContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(runbookApiRef);
  const runbook = useLoader(() => api.getRunbook(entityRef), [api, entityRef]);
  const [started, setStarted] = useState<StartRunResult>();
  const [historyKey, setHistoryKey] = useState(0);
  // `?action=` opens one action's form: the fix a diagnosis links to.
  const [searchParams] = useSearchParams();
  const opened = searchParams.get('action');
  const { reload } = runbook;
  const onFinished = useCallback(() => {
    setHistoryKey(k => k + 1);
    reload();
  }, [reload]);

  if (runbook.error) return <ResponseErrorPanel error={runbook.error} />;
  const resolution = runbook.value;
  if (!resolution) {
    return (
      <Grid container spacing={3} aria-busy="true" aria-label="Loading runbook">
        <Grid item xs={12} md={7}>
          <Skeleton variant="rect" height={420} />
        </Grid>
        <Grid item xs={12} md={5}>
          <Skeleton variant="rect" height={420} />
        </Grid>
      </Grid>
    );
  }
  if (resolution.actions.length === 0) {
    return (
      <EmptyState
        missing="field"
        title="This service offers no runbook actions"
        description={`Check the ${ANNOTATION_RUNBOOK_ACTIONS} allow-list on ${entityRef}, or remove it to offer every action.`}
      />
    );
  }
  const runId = started?.run.id ?? resolution.activeRunId;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <InfoCard title="Actions">
          {resolution.production && (
            <Alert severity="warning">
              Production service: every change needs {resolution.confirmText}{' '}
              typed to confirm.
            </Alert>
          )}
          <RunbookActionList
            resolution={resolution}
            opened={opened ?? undefined}
            onStarted={result => {
              setStarted(result);
              setHistoryKey(k => k + 1);
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <Box mb={3}>
          <InfoCard title="Live state">
            <LiveState runbook={resolution} />
          </InfoCard>
        </Box>
        <InfoCard title="Current run">
          {started?.replayed && <ReplayNotice run={started.run} />}
          {runId ? (
            <RunProgress key={runId} runId={runId} onFinished={onFinished} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No run in progress.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <RunHistory entityRef={entityRef} refreshKey={historyKey} />
      </Grid>
    </Grid>
  );
};
