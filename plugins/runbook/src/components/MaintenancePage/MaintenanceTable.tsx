import { Link, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import type {
  MaintenanceCalendar,
  MaintenanceItem,
} from '@nexus-cos/plugin-runbook-common';
import { useOverviewLink } from '../../hooks/useOverviewLink';
import { RelativeTime } from '../time';
import { MaintenanceStatus } from './MaintenanceStatus';

/** Checks whose items are best read on the ops overview. */
const ON_THE_OVERVIEW = new Set(['health-sweep']);

const who = (by: string) => {
  if (by.startsWith('maintenance:')) return `check ${by.slice(12)}`;
  try {
    return parseEntityRef(by).name;
  } catch {
    return by;
  }
};

/** One period's items: status, who did it and when, what was found; manual ones can be ticked. */
export const MaintenanceTable = (props: {
  title: string;
  /** Undefined while it loads. */
  calendar?: MaintenanceCalendar;
  onComplete: (item: MaintenanceItem) => void;
}) => {
  const { calendar } = props;
  const overview = useOverviewLink();
  const columns: TableColumn<MaintenanceItem>[] = [
    {
      title: 'Task',
      render: item => (
        <>
          <Typography variant="body2">{item.title}</Typography>
          {overview && item.check && ON_THE_OVERVIEW.has(item.check) && (
            <Link to={overview}>Open the Ops overview</Link>
          )}
        </>
      ),
    },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Status',
      render: item => <MaintenanceStatus status={item.status} />,
    },
    {
      title: 'Done',
      render: item =>
        item.by && item.at ? (
          <>
            {who(item.by)}, <RelativeTime iso={item.at} />
          </>
        ) : (
          <>
            due <RelativeTime iso={item.due} />
          </>
        ),
    },
    {
      title: 'Evidence',
      render: item => (
        <Typography variant="body2">{item.summary ?? '—'}</Typography>
      ),
    },
    {
      title: '',
      render: item =>
        item.kind === 'manual' &&
        (item.status === 'pending' || item.status === 'overdue') ? (
          <Button
            size="small"
            variant="outlined"
            onClick={() => props.onComplete(item)}
            aria-label={`Mark ${item.title} done`}
          >
            Mark done
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<MaintenanceItem>
      title={props.title}
      subtitle={
        calendar &&
        `${DateTime.fromISO(calendar.from).toLocaleString(
          DateTime.DATE_MED,
        )} to ${DateTime.fromISO(calendar.to)
          .minus({ milliseconds: 1 })
          .toLocaleString(DateTime.DATE_MED)}`
      }
      isLoading={!calendar}
      data={calendar?.items ?? []}
      columns={columns}
      options={{ paging: false, search: false, padding: 'dense' }}
      detailPanel={({ rowData }) =>
        rowData.evidence ? (
          <pre
            aria-label={`Evidence of ${rowData.title}`}
            style={{ margin: 16, whiteSpace: 'pre-wrap' }}
          >
            {JSON.stringify(rowData.evidence, null, 2)}
          </pre>
        ) : (
          <Typography style={{ margin: 16 }}>Nothing recorded yet.</Typography>
        )
      }
      emptyContent={
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          No tasks in this period: add them to runbook.maintenance.tasks.
        </Typography>
      }
    />
  );
};
