import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { RunLink } from '../RunLink';
import { RunStatus } from '../RunStatus';
import { formatDuration, RelativeTime } from '../time';
import { actionFormOf } from './actionForm';

const columns: TableColumn<Run>[] = [
  {
    title: 'Action',
    render: run => (
      <RunLink runId={run.id}>{actionFormOf(run.action).title}</RunLink>
    ),
  },
  { title: 'Outcome', render: run => <RunStatus status={run.status} /> },
  { title: 'Actor', render: run => parseEntityRef(run.actor).name },
  {
    title: 'Started',
    render: run => <RelativeTime iso={run.startedAt ?? run.createdAt} />,
  },
  {
    title: 'Duration',
    render: run => formatDuration(run.startedAt, run.finishedAt) ?? '—',
  },
];

/** The entity's recent runs, newest first. `refreshKey` changes reload it. */
export const RunHistory = (props: {
  entityRef: string;
  refreshKey: number;
}) => {
  const api = useApi(runbookApiRef);
  const { entityRef, refreshKey } = props;
  const runs = useLoader(
    () => api.listRuns(entityRef, { limit: 20 }),
    [api, entityRef, refreshKey],
  );
  if (runs.error) return <ResponseErrorPanel error={runs.error} />;
  return (
    <Table<Run>
      title="Run history"
      isLoading={runs.loading && !runs.value}
      data={runs.value?.items ?? []}
      columns={columns}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          No runs yet: actions started from this tab or the scaffolder appear
          here.
        </Typography>
      }
    />
  );
};
