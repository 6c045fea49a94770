import { useCallback, useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import type { StartRunResult } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { ReplayNotice } from '../RunbookContent/ReplayNotice';
import { RunbookActionList } from '../RunbookContent/RunbookActionList';
import { RunProgress } from '../RunProgress';
import { drillsOf } from './drills';
import { DrillTable } from './DrillTable';
import { RtoRpoChart } from './RtoRpoChart';

/** Drills kept on the tab; the run history keeps them all. */
const HISTORY = 100;

/**
 * The DR drills tab of a DR-target database: RTO and RPO of every drill over time, each
 * drill's tables and checksums, and a drill to run now.
 */
export const DrDrillsContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(runbookApiRef);
  const runs = useLoader(
    () => api.listRuns(entityRef, { action: 'dr-drill', limit: HISTORY }),
    [api, entityRef],
  );
  const runbook = useLoader(() => api.getRunbook(entityRef), [api, entityRef]);
  const [started, setStarted] = useState<StartRunResult>();
  const reloadRuns = runs.reload;
  const onFinished = useCallback(() => reloadRuns(), [reloadRuns]);

  if (runs.error) return <ResponseErrorPanel error={runs.error} />;
  const drills = drillsOf(runs.value?.items ?? []);
  const runId = started?.run.id ?? runbook.value?.activeRunId;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={8}>
        <InfoCard title="RTO and RPO over time">
          {runs.value ? (
            <RtoRpoChart drills={drills} />
          ) : (
            <Skeleton variant="rect" height={220} aria-label="Loading drills" />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <Box mb={3}>
          <InfoCard title="Drill now">
            {runbook.error && <ResponseErrorPanel error={runbook.error} />}
            {runbook.value && (
              <RunbookActionList
                resolution={runbook.value}
                only={['dr-drill']}
                onStarted={setStarted}
              />
            )}
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
        <DrillTable drills={drills} loading={!runs.value} />
      </Grid>
    </Grid>
  );
};
