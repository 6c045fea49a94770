import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  ANNOTATION_ESCALATION_CHAIN,
  ANNOTATION_ONCALL_ROTATION,
} from '@nexus-cos/plugin-runbook-common';
import { useOnCall } from '../../hooks/useOnCall';
import { displayNameOf } from './ContactLinks';
import { PersonLine } from './PersonLine';
import { OnCallView } from '../../hooks/onCallFromCatalog';

const OwnerShifts = ({ view }: { view: OnCallView }) => {
  const ownerName = view.owner
    ? displayNameOf(view.owner)
    : view.ownerRef && parseEntityRef(view.ownerRef).name;
  if (!view.ownerRef) {
    return (
      <Typography variant="body2">This entity declares no owner.</Typography>
    );
  }
  if (!view.owner) {
    return (
      <Typography variant="body2">
        The owner {view.ownerRef} is not in the catalog.
      </Typography>
    );
  }
  if (view.problem) {
    return (
      <Typography variant="body2" color="error">
        {view.problem}
      </Typography>
    );
  }
  if (view.shifts.length === 0) {
    return (
      <Typography variant="body2">
        {ownerName} has no on-call rotation: add {ANNOTATION_ONCALL_ROTATION}{' '}
        and its -start, -handover, -period and -timezone annotations to the
        group.
      </Typography>
    );
  }
  const [now, ...next] = view.shifts;
  return (
    <>
      <Typography variant="overline">On call now for {ownerName}</Typography>
      <PersonLine person={now} />
      <Typography variant="overline">Next</Typography>
      {next.map(person => (
        <PersonLine key={person.shift.start} person={person} from />
      ))}
    </>
  );
};

const Escalation = ({ view }: { view: OnCallView }) => {
  if (view.escalation.length === 0) {
    return (
      <Typography variant="body2">
        No escalation chain: add {ANNOTATION_ESCALATION_CHAIN} to the domain.
      </Typography>
    );
  }
  return (
    <Box component="ol" pl={2} m={0} aria-label="Escalation chain">
      {view.escalation.map(step => (
        <li key={step.groupRef}>
          <Typography variant="body2">
            {step.group
              ? displayNameOf(step.group)
              : parseEntityRef(step.groupRef).name}
            {step.problem && `: ${step.problem}`}
          </Typography>
          {step.onCall && <PersonLine person={step.onCall} />}
        </li>
      ))}
    </Box>
  );
};

/**
 * Who to call about this service: the owning team's on-call now and at the next
 * hand-overs, then the domain's escalation chain with each step's current on-call.
 */
export const OnCallCard = () => {
  const { entity } = useEntity();
  const onCall = useOnCall(entity);
  return (
    <InfoCard title="On-call">
      {onCall.error && <ResponseErrorPanel error={onCall.error} />}
      {!onCall.error && !onCall.value && (
        <Skeleton variant="rect" height={240} aria-label="Loading on-call" />
      )}
      {onCall.value && (
        <>
          <OwnerShifts view={onCall.value} />
          <Box mt={2}>
            <Typography variant="overline">Escalation</Typography>
            <Escalation view={onCall.value} />
          </Box>
        </>
      )}
    </InfoCard>
  );
};
