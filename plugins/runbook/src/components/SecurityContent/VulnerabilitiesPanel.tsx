import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ImageVulnerabilities } from '@nexus-cos/plugin-runbook-common';
import { SeverityLabel, VulnerabilityCountsLine } from '../security';
import { RelativeTime } from '../time';

const SOURCES = {
  'trivy-operator': 'trivy-operator',
  upload: 'uploaded from CI',
};

/** Per image the service runs: counts by severity, the scan's age, the top findings. */
export const VulnerabilitiesPanel = (props: {
  images: ImageVulnerabilities[];
}) => {
  if (props.images.length === 0) {
    return (
      <Typography variant="body2">
        No scan of this service's images yet: trivy-operator has not reported,
        and no report was uploaded.
      </Typography>
    );
  }
  return (
    <>
      {props.images.map(image => (
        <Box key={`${image.image}/${image.source}`} mb={3}>
          <Typography variant="subtitle2">{image.image}</Typography>
          <Typography variant="caption" color="textSecondary" display="block">
            {SOURCES[image.source]}, scanned{' '}
            <RelativeTime iso={image.scannedAt} />
            {image.workloads?.length ? ` · ${image.workloads.join(', ')}` : ''}
          </Typography>
          <VulnerabilityCountsLine
            counts={image.counts}
            label={`Vulnerabilities of ${image.image} (${image.source})`}
          />
          {image.top.length > 0 && (
            <Table
              size="small"
              aria-label={`Top findings of ${image.image} (${image.source})`}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Vulnerability</TableCell>
                  <TableCell>Package</TableCell>
                  <TableCell>Installed</TableCell>
                  <TableCell>Fixed in</TableCell>
                  <TableCell>Severity</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {image.top.map(f => (
                  <TableRow key={`${f.id}/${f.package}`}>
                    <TableCell component="th" scope="row">
                      {f.link ? (
                        <Link href={f.link} target="_blank" rel="noopener">
                          {f.id}
                        </Link>
                      ) : (
                        f.id
                      )}
                      {f.title && (
                        <Typography variant="caption" display="block">
                          {f.title}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>{f.package}</TableCell>
                    <TableCell>{f.installedVersion ?? '—'}</TableCell>
                    <TableCell>{f.fixedVersion || 'no fix yet'}</TableCell>
                    <TableCell>
                      <SeverityLabel severity={f.severity} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      ))}
    </>
  );
};
