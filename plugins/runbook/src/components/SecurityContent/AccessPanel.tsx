import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  AccessReport,
  AccessRule,
} from '@nexus-cos/plugin-runbook-common';
import { SeverityLabel } from '../security';
import { RelativeTime } from '../time';

const ruleText = (r: AccessRule) =>
  r.nonResourceURLs?.length
    ? `${r.verbs.join(', ')} on ${r.nonResourceURLs.join(', ')}`
    : `${r.verbs.join(', ')} on ${r.resources.join(', ')}${
        r.resourceNames?.length ? ` (${r.resourceNames.join(', ')})` : ''
      }`;

/** Who can do what in the namespace, the risky grants, and the last review. */
export const AccessPanel = (props: { report: AccessReport }) => {
  const { report } = props;
  const { review } = report;
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        Namespace <strong>{report.namespace}</strong>:{' '}
        {review ? (
          <>
            last reviewed <RelativeTime iso={review.at} /> by {review.by}
            {review.note ? ` — “${review.note}”` : ''}
          </>
        ) : (
          'never reviewed'
        )}
      </Typography>
      {report.findings.length === 0 ? (
        <Typography variant="body2">No risky grants.</Typography>
      ) : (
        <Box
          component="ul"
          pl={0}
          mt={0}
          style={{ listStyle: 'none' }}
          aria-label="Access findings"
        >
          {report.findings.map(f => (
            <li key={`${f.code}:${f.via}:${f.message}`}>
              <SeverityLabel severity={f.severity} />
              <Typography variant="body2" component="span">
                {f.message}
              </Typography>
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {f.via}
              </Typography>
            </li>
          ))}
        </Box>
      )}
      {report.subjects.length > 0 && (
        <Table size="small" aria-label="Subjects">
          <TableHead>
            <TableRow>
              <TableCell>Subject</TableCell>
              <TableCell>May</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.subjects.map(s => (
              <TableRow key={`${s.kind}/${s.namespace ?? ''}/${s.name}`}>
                <TableCell component="th" scope="row">
                  {s.kind} {s.namespace ? `${s.namespace}/` : ''}
                  {s.name}
                  {s.exists === false && ' (does not exist)'}
                </TableCell>
                <TableCell>
                  {s.rules.length === 0
                    ? 'nothing (its role does not exist)'
                    : s.rules.map(r => (
                        <Typography
                          key={`${r.via}:${ruleText(r)}`}
                          variant="body2"
                        >
                          {ruleText(r)}{' '}
                          <Typography
                            variant="caption"
                            color="textSecondary"
                            component="span"
                          >
                            via {r.via}
                          </Typography>
                        </Typography>
                      ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};
