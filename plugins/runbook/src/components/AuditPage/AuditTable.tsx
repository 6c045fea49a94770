import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import type { AuditRecord } from '@nexus-cos/plugin-runbook-common';
import { RunLink } from '../RunLink';
import { formatMillis, RelativeTime } from '../time';

const nameOf = (ref: string) => {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

const columns: TableColumn<AuditRecord>[] = [
  { title: '#', field: 'seq', width: '64px' },
  { title: 'Time', render: r => <RelativeTime iso={r.at} /> },
  { title: 'Event', field: 'event' },
  { title: 'Action', field: 'action' },
  { title: 'Entity', render: r => nameOf(r.entityRef) },
  { title: 'Actor', render: r => nameOf(r.actor) },
  { title: 'Outcome', field: 'outcome' },
  {
    title: 'Duration',
    render: r => (r.durationMs === null ? '—' : formatMillis(r.durationMs)),
  },
  {
    title: 'Run',
    render: r => (r.runId ? <RunLink runId={r.runId} /> : '—'),
  },
];

/** One page of audit records, in chain order. */
export const AuditTable = (props: {
  records?: AuditRecord[];
  loading: boolean;
  filtered: boolean;
}) => (
  <Table<AuditRecord>
    title="Audit records"
    isLoading={props.loading}
    data={props.records ?? []}
    columns={columns}
    options={{ paging: false, search: false, padding: 'dense' }}
    emptyContent={
      <Typography variant="body2" color="textSecondary" style={{ padding: 16 }}>
        {props.filtered
          ? 'No audit records match these filters.'
          : 'No audit records yet: every run started from the Runbook tab or a scaffolder template is recorded here.'}
      </Typography>
    }
  />
);
