import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { BackupItem } from '@nexus-cos/plugin-runbook-common';
import { formatBytes } from '../health/metricCharts';
import { RunLink } from '../RunLink';
import { RelativeTime } from '../time';
import { VerificationStatus } from './VerificationStatus';

/** Who made a backup: a person's name, or the schedule or restore that did. */
const madeBy = (b: BackupItem) => {
  if (b.origin === 'safety') return 'safety backup before a restore';
  if (b.by.startsWith('schedule:')) return `schedule ${b.by.slice(9)}`;
  try {
    return parseEntityRef(b.by).name;
  } catch {
    return b.by;
  }
};

/** A DR target's backups, newest first, with buttons that fill the verify and restore forms. */
export const BackupTable = (props: {
  backups: BackupItem[];
  loading: boolean;
  onVerify: (backup: BackupItem) => void;
  onRestore: (backup: BackupItem) => void;
}) => {
  const { backups, loading, onVerify, onRestore } = props;
  const columns: TableColumn<BackupItem>[] = [
    {
      title: 'Backup',
      render: b => (
        <>
          <Typography variant="body2">
            <RelativeTime iso={b.createdAt} />
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {b.id}
          </Typography>
        </>
      ),
    },
    { title: 'By', render: madeBy },
    { title: 'Size', render: b => formatBytes(b.sizeBytes) },
    {
      title: 'sha256',
      render: b => (
        <code title={b.sha256} aria-label={`sha256 ${b.sha256}`}>
          {b.sha256.slice(0, 12)}…
        </code>
      ),
    },
    {
      title: 'Tables',
      render: b =>
        `${b.tables.length} tables, ${b.tables
          .reduce((n, t) => n + t.rows, 0)
          .toLocaleString('en-US')} rows`,
    },
    { title: 'Verified', render: b => <VerificationStatus backup={b} /> },
    { title: 'Run', render: b => <RunLink runId={b.runId} /> },
    {
      title: '',
      render: b => (
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            size="small"
            variant="outlined"
            onClick={() => onVerify(b)}
            aria-label={`Verify ${b.id}`}
          >
            Verify
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => onRestore(b)}
            aria-label={`Restore ${b.id}`}
          >
            Restore
          </Button>
        </Box>
      ),
    },
  ];
  return (
    <Table<BackupItem>
      title="Backups"
      isLoading={loading}
      data={backups}
      columns={columns}
      options={{
        paging: backups.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      emptyContent={
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          No backups yet: back up now, or add a schedule in
          runbook.backup.schedules.
        </Typography>
      }
    />
  );
};
