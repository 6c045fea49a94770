import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  ANNOTATION_ESCALATION_CHAIN,
  ANNOTATION_ONCALL_ROTATION,
  EntityOnCall,
  GroupOnCall,
} from '@nexus-cos/plugin-runbook-common';
import { useOnCall } from '../../hooks/useOnCall';
import { PersonLine } from './PersonLine';

const OwnerShifts = ({ owner }: { owner?: GroupOnCall }) => {
  if (!owner) {
    return (
      <Typography variant="body2">
        This entity has no Group owner: set spec.owner to the team that runs it.
      </Typography>
    );
  }
  if (owner.problem) {
    return (
      <Typography variant="body2" color="error">
        {owner.problem}
      </Typography>
    );
  }
  if (!owner.now) {
    return (
      <Typography variant="body2">
        {owner.name} has no on-call rotation: add {ANNOTATION_ONCALL_ROTATION}{' '}
        and its -start, -handover, -period and -timezone annotations to the
        group.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="overline">On call now for {owner.name}</Typography>
      <PersonLine assignment={owner.now} />
      <Typography variant="overline">Next</Typography>
      {owner.next.map(assignment => (
        <PersonLine key={assignment.shift.start} assignment={assignment} from />
      ))}
    </>
  );
};

const Escalation = ({ onCall }: { onCall: EntityOnCall }) => {
  if (onCall.escalationChain.length === 0) {
    return (
      <Typography variant="body2">
        No escalation chain: add {ANNOTATION_ESCALATION_CHAIN} to the domain.
      </Typography>
    );
  }
  return (
    <Box component="ol" pl={2} m={0} aria-label="Escalation chain">
      {onCall.escalationChain.map(step => (
        <li key={step.groupRef}>
          <Typography variant="body2">
            {step.name}
            {step.problem && `: ${step.problem}`}
            {!step.problem && !step.now && ': no on-call rotation'}
          </Typography>
          {step.now && <PersonLine assignment={step.now} />}
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
          <OwnerShifts owner={onCall.value.owner} />
          <Box mt={2}>
            <Typography variant="overline">Escalation</Typography>
            <Escalation onCall={onCall.value} />
          </Box>
        </>
      )}
    </InfoCard>
  );
};
