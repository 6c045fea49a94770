import {
  Link,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  DiagnosticCheck,
  DiagnosticStatus,
  DiagnosticsReport,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import { ChecklistSteps } from '../checklist';
import { actionFormOf } from '../RunbookContent/actionForm';

const INDICATOR: Record<
  DiagnosticStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = { ok: StatusOK, warn: StatusWarning, fail: StatusError };

/** A status as an indicator with its word, so colour is never the only cue. */
const Status = ({ status }: { status: DiagnosticStatus }) => {
  const Indicator = INDICATOR[status];
  return <Indicator>{status}</Indicator>;
};

/** The fix action, as a link to the service's Runbook tab with its form open. */
const FixLink = (props: { entityRef: string; action: RunbookActionName }) => {
  const entityLink = useEntityRefLink();
  return (
    <Typography variant="body2">
      Fix:{' '}
      <Link
        to={`${entityLink(props.entityRef)}/runbook?action=${props.action}`}
      >
        {actionFormOf(props.action).title}
      </Link>
    </Typography>
  );
};

const CheckItem = (props: { check: DiagnosticCheck; serviceRef: string }) => {
  const { check, serviceRef } = props;
  return (
    <Box component="li" mb={2} aria-label={`${check.title}: ${check.status}`}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Status status={check.status} />
        <Typography variant="subtitle2">{check.title}</Typography>
      </Box>
      <Box component="ul" pl={3} my={0.5}>
        {check.evidence.map(line => (
          <li key={line}>
            <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
              {line}
            </Typography>
          </li>
        ))}
      </Box>
      {check.troubleshooting && (
        <Box pl={3}>
          <Typography variant="body2" color="textSecondary">
            Runbook: {check.troubleshooting.title}
          </Typography>
          <ChecklistSteps checklist={check.troubleshooting} />
          {check.troubleshooting.fixAction && (
            <FixLink
              entityRef={serviceRef}
              action={check.troubleshooting.fixAction}
            />
          )}
        </Box>
      )}
    </Box>
  );
};

/**
 * A diagnosis: its verdict, then its checks grouped by the entity they are about (the
 * service first, then each dependency), failures first within each group.
 */
export const DiagnosticsReportView = (props: {
  report: DiagnosticsReport;
  /** The diagnosed service; fix actions open its Runbook tab. */
  entityRef: string;
}) => {
  const { report, entityRef } = props;
  const rank = { fail: 0, warn: 1, ok: 2 };
  const groups = new Map<string, DiagnosticCheck[]>();
  for (const check of report.checks) {
    groups.set(check.entityRef, [
      ...(groups.get(check.entityRef) ?? []),
      check,
    ]);
  }
  const refs = [...groups.keys()].sort((a, b) =>
    a === entityRef ? -1 : Number(b === entityRef),
  );
  return (
    <Box aria-label="Diagnostics report">
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Typography variant="subtitle1">Diagnosis:</Typography>
        <Status status={report.verdict} />
      </Box>
      {refs.map(ref => (
        <Box key={ref} mb={1}>
          <Typography variant="subtitle2" color="textSecondary">
            {ref === entityRef ? 'The service' : ref}
          </Typography>
          <Box component="ul" pl={0} style={{ listStyle: 'none' }}>
            {groups
              .get(ref)!
              .sort((a, b) => rank[a.status] - rank[b.status])
              .map(check => (
                <CheckItem
                  key={`${check.id}:${check.entityRef}:${check.title}`}
                  check={check}
                  serviceRef={entityRef}
                />
              ))}
          </Box>
        </Box>
      ))}
      {report.skipped?.map(note => (
        <Typography key={note} variant="body2" color="textSecondary">
          Not checked: {note}
        </Typography>
      ))}
    </Box>
  );
};
