import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type {
  ActionAvailability,
  CertificateItem,
} from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';
import { CertificateStatusLabel } from '../security';

/** "6 days left", "expired 3 days ago", or why there is no date. */
export function expiryText(item: Pick<CertificateItem, 'daysLeft' | 'error'>) {
  if (item.daysLeft === undefined) return item.error ?? 'no certificate';
  if (item.daysLeft < 0) return `expired ${-item.daysLeft} day(s) ago`;
  return `${item.daysLeft} day(s) left`;
}

const date = (iso: string) =>
  DateTime.fromISO(iso).toLocaleString(DateTime.DATE_MED);

/**
 * A service's certificates with expiry (from the certificate itself), the TLS check and,
 * for cert-manager Certificates, a Renew button when the caller may renew.
 */
export const CertificatesTable = (props: {
  items: CertificateItem[];
  renew?: ActionAvailability;
  onRenew: (certificate: string) => void;
}) => {
  const { items, renew, onRenew } = props;
  if (items.length === 0) {
    return (
      <Typography variant="body2">
        No cert-manager Certificates or TLS Secrets belong to this service.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Certificates">
      <TableHead>
        <TableRow>
          <TableCell>Certificate</TableCell>
          <TableCell>Names</TableCell>
          <TableCell>Expires</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>TLS check</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={`${item.source}/${item.name}`}>
            <TableCell component="th" scope="row">
              <Typography variant="body2">{item.name}</Typography>
              <Typography variant="caption" color="textSecondary">
                {item.source === 'cert-manager'
                  ? `cert-manager, ${item.issuerRef?.kind ?? 'Issuer'} ${
                      item.issuerRef?.name ?? ''
                    }`
                  : 'TLS Secret, not managed by cert-manager'}
              </Typography>
            </TableCell>
            <TableCell>{item.dnsNames.join(', ') || '—'}</TableCell>
            <TableCell>
              {item.notAfter && (
                <Typography variant="body2">{date(item.notAfter)}</Typography>
              )}
              <Typography variant="caption">{expiryText(item)}</Typography>
            </TableCell>
            <TableCell>
              <CertificateStatusLabel status={item.status} />
            </TableCell>
            <TableCell>
              {item.verification.ok
                ? 'passes'
                : item.verification.problems.join('; ')}
            </TableCell>
            <TableCell>
              {item.source === 'cert-manager' && renew && (
                <Tooltip title={renew.allowed ? '' : renew.reason ?? ''}>
                  <span>
                    <Button
                      size="small"
                      variant="outlined"
                      disabled={!renew.allowed}
                      onClick={() => onRenew(item.name)}
                      aria-label={`Renew ${item.name}`}
                    >
                      Renew
                    </Button>
                  </span>
                </Tooltip>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
