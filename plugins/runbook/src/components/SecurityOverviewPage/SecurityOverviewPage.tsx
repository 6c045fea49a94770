import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  FINDING_SEVERITIES,
  SecurityOverview,
} from '@nexus-cos/plugin-runbook-common';
import { ReactNode } from 'react';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { expiryText } from '../SecurityContent/CertificatesTable';
import {
  CertificateStatusLabel,
  SeverityLabel,
  VulnerabilityCountsLine,
} from '../security';
import { RelativeTime } from '../time';

/** How often the overview reads again; the backend itself sweeps every few minutes. */
const REFRESH_MS = 60_000;

function ListTable(props: {
  label: string;
  empty: string;
  head: string[];
  rows: Array<{ key: string; cells: ReactNode[] }>;
}) {
  if (props.rows.length === 0) {
    return <Typography variant="body2">{props.empty}</Typography>;
  }
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.head.map(h => (
            <TableCell key={h}>{h}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.key}>
            {row.cells.map((cell, i) => (
              <TableCell key={i}>{cell}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const service = (entityRef: string) => (
  <EntityRefLink entityRef={entityRef} hideIcon />
);

/**
 * What needs a security engineer's attention across the services the caller may read:
 * certificates expiring or expired, images with CRITICAL findings, namespaces with
 * risky grants or without a current review, and Secrets not rotated for too long.
 */
export const SecurityOverviewPage = () => {
  const api = useApi(runbookApiRef);
  const overview = useLoader(() => api.getSecurityOverview(), [api], {
    refreshMs: REFRESH_MS,
  });
  const o: SecurityOverview | undefined = overview.value;
  const card = (
    title: string,
    body: (value: SecurityOverview) => ReactNode,
  ) => (
    <LoadedCard title={title} state={overview} height={160}>
      {body}
    </LoadedCard>
  );
  return (
    <Content>
      {o && o.hidden > 0 && (
        <Box mb={2}>
          <Alert severity="info">
            {o.hidden} service(s) left out: you may not read their security
            state (runbook.security.read).
          </Alert>
        </Box>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          {card('Expiring certificates', value => (
            <ListTable
              label="Expiring certificates"
              empty={`No certificate expires within ${value.thresholds.certificateWarningDays} days.`}
              head={['Service', 'Certificate', 'Expires', 'Status']}
              rows={value.certificates.map(c => ({
                key: `${c.entityRef}/${c.name}`,
                cells: [
                  service(c.entityRef),
                  `${c.namespace}/${c.name}`,
                  expiryText(c),
                  <CertificateStatusLabel status={c.status} />,
                ],
              }))}
            />
          ))}
        </Grid>
        <Grid item xs={12} lg={6}>
          {card('Critical vulnerabilities', value => (
            <ListTable
              label="Critical vulnerabilities"
              empty="No image of a service has CRITICAL findings."
              head={['Service', 'Image', 'Findings', 'Scanned']}
              rows={value.vulnerabilities.map(v => ({
                key: `${v.entityRef}/${v.image}/${v.source}`,
                cells: [
                  service(v.entityRef),
                  v.image,
                  <VulnerabilityCountsLine
                    counts={v.counts}
                    label={`Vulnerabilities of ${v.image}`}
                  />,
                  <RelativeTime iso={v.scannedAt} />,
                ],
              }))}
            />
          ))}
        </Grid>
        <Grid item xs={12} lg={6}>
          {card('Access to review', value => (
            <ListTable
              label="Access to review"
              empty="Every namespace was reviewed recently and has no risky grants."
              head={['Namespace', 'Services', 'Risky grants', 'Last review']}
              rows={value.access.map(a => ({
                key: a.namespace,
                cells: [
                  a.namespace,
                  <>
                    {a.entityRefs.map(ref => (
                      <Box key={ref}>{service(ref)}</Box>
                    ))}
                  </>,
                  <>
                    {FINDING_SEVERITIES.filter(s => a.findings[s] > 0).map(
                      s => (
                        <SeverityLabel
                          key={s}
                          severity={s}
                          count={a.findings[s]}
                        />
                      ),
                    )}
                    {FINDING_SEVERITIES.every(s => a.findings[s] === 0) &&
                      'none'}
                  </>,
                  a.review ? (
                    <>
                      <RelativeTime iso={a.review.at} /> by {a.review.by}
                      {a.reviewOverdue && ' (overdue)'}
                    </>
                  ) : (
                    'never'
                  ),
                ],
              }))}
            />
          ))}
        </Grid>
        <Grid item xs={12} lg={6}>
          {card('Secrets not rotated', value => (
            <ListTable
              label="Secrets not rotated"
              empty={`Every Secret of a service was rotated (or created) within ${value.thresholds.rotationMaxAgeDays} days.`}
              head={['Service', 'Secret', 'Age']}
              rows={value.rotations.map(r => ({
                key: `${r.entityRef}/${r.secret}`,
                cells: [
                  service(r.entityRef),
                  `${r.namespace}/${r.secret}`,
                  `${r.ageDays} days since ${
                    r.rotated ? 'rotated' : 'created'
                  }`,
                ],
              }))}
            />
          ))}
        </Grid>
      </Grid>
    </Content>
  );
};
