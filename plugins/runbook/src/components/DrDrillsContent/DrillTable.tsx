import { Table, TableColumn } from '@backstage/core-components';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { StatusError, StatusOK } from '@backstage/core-components';
import { formatBytes } from '../health/metricCharts';
import { RunLink } from '../RunLink';
import { RelativeTime } from '../time';
import { Drill, formatSeconds } from './drills';

/** One drill's tables: rows and checksums of the source at backup time and of the restore. */
const DrillTables = (props: { drill: Drill }) => (
  <MuiTable
    size="small"
    aria-label={`Tables of the drill ${props.drill.run.id}`}
  >
    <TableHead>
      <TableRow>
        <TableCell>Table</TableCell>
        <TableCell align="right">Rows</TableCell>
        <TableCell>Checksum (source / restore)</TableCell>
        <TableCell>Match</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {props.drill.report.tables.map(t => (
        <TableRow key={t.table}>
          <TableCell component="th" scope="row">
            {t.table}
          </TableCell>
          <TableCell align="right">
            {t.sourceRows === t.restoredRows
              ? t.sourceRows
              : `${t.sourceRows} → ${t.restoredRows}`}
          </TableCell>
          <TableCell>
            <code>
              {t.sourceChecksum.slice(0, 12)} /{' '}
              {t.restoredChecksum.slice(0, 12)}
            </code>
          </TableCell>
          <TableCell>{t.match ? 'yes' : 'NO'}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </MuiTable>
);

const columns: TableColumn<Drill>[] = [
  { title: 'When', render: d => <RelativeTime iso={d.run.finishedAt!} /> },
  {
    title: 'Verdict',
    render: d =>
      d.report.verdict === 'pass' ? (
        <StatusOK>pass</StatusOK>
      ) : (
        <StatusError>fail: {d.report.failure ?? 'see the run'}</StatusError>
      ),
  },
  { title: 'RTO', render: d => formatSeconds(d.report.rtoSeconds) },
  { title: 'RPO', render: d => formatSeconds(d.report.rpoSeconds) },
  {
    title: 'Tables',
    render: d =>
      `${d.report.tables.filter(t => t.match).length} of ${
        d.report.tables.length
      } match`,
  },
  { title: 'Backup', render: d => formatBytes(d.report.backup.bytes) },
  { title: 'Run', render: d => <RunLink runId={d.run.id} /> },
];

/** The drill history, newest first; each row opens its tables and checksums. */
export const DrillTable = (props: { drills: Drill[]; loading: boolean }) => (
  <Table<Drill>
    title="Drill history"
    isLoading={props.loading}
    data={[...props.drills].reverse()}
    columns={columns}
    options={{ paging: false, search: false, padding: 'dense' }}
    detailPanel={({ rowData }) => <DrillTables drill={rowData} />}
    emptyContent={
      <Typography variant="body2" color="textSecondary" style={{ padding: 16 }}>
        No drills yet: run one here, from the DR drill template, or on a
        schedule (runbook.backup.schedules).
      </Typography>
    }
  />
);
