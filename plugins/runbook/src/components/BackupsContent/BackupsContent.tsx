import { useCallback, useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  ANNOTATION_DR_TARGET,
  BackupItem,
  FormValues,
  RunbookActionName,
  StartRunResult,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { RunbookActionList } from '../RunbookContent/RunbookActionList';
import { ReplayNotice } from '../RunbookContent/ReplayNotice';
import { RunProgress } from '../RunProgress';
import { BackupTable } from './BackupTable';

const BACKUP_ACTIONS: RunbookActionName[] = [
  'backup',
  'verify-backup',
  'restore',
];

/**
 * The Backups tab of a DR-target database: its backups with their size, sha256, tables
 * and last verification, and the backup, verify and restore forms, each reviewed in a
 * dry run; the run in progress below them.
 */
export const BackupsContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const target = entity.metadata.annotations?.[ANNOTATION_DR_TARGET] ?? '';
  const api = useApi(runbookApiRef);
  const runbook = useLoader(() => api.getRunbook(entityRef), [api, entityRef]);
  const backups = useLoader(() => api.listBackups(target), [api, target]);
  const [presets, setPresets] =
    useState<Partial<Record<RunbookActionName, FormValues>>>();
  const [started, setStarted] = useState<StartRunResult>();
  const reloadBackups = backups.reload;
  const reloadRunbook = runbook.reload;
  const onFinished = useCallback(() => {
    reloadBackups();
    reloadRunbook();
  }, [reloadBackups, reloadRunbook]);

  if (runbook.error) return <ResponseErrorPanel error={runbook.error} />;
  const resolution = runbook.value;
  const runId = started?.run.id ?? resolution?.activeRunId;
  const pick = (action: RunbookActionName, b: BackupItem) =>
    setPresets({ [action]: { backupId: b.id } });

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={7}>
        {backups.error ? (
          <ResponseErrorPanel error={backups.error} />
        ) : (
          <BackupTable
            backups={backups.value?.items ?? []}
            loading={!backups.value}
            onVerify={b => pick('verify-backup', b)}
            onRestore={b => pick('restore', b)}
          />
        )}
      </Grid>
      <Grid item xs={12} lg={5}>
        <Box mb={3}>
          <InfoCard title="Back up, verify, restore">
            {resolution ? (
              <RunbookActionList
                resolution={resolution}
                only={BACKUP_ACTIONS}
                presets={presets}
                onStarted={setStarted}
              />
            ) : (
              <Skeleton
                variant="rect"
                height={200}
                aria-label="Loading actions"
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
    </Grid>
  );
};
