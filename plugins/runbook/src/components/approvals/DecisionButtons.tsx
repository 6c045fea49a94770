import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import type { FleetRun, Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { FLEET_COPY } from '../FleetCard/fleetCopy';
import { actionFormOf } from '../RunbookContent/actionForm';
import {
  Decision,
  DecisionDialog,
  DecisionSubject,
  RUN_DECISION_EXPLANATION,
} from './DecisionDialog';

/** Approve and Reject, each asking for a comment, for whatever `subject` names. */
const DecisionControls = <T,>(props: {
  subject: DecisionSubject<T>;
  onDecided: (decided: T) => void;
  onFailed?: (error: Error) => void;
}) => {
  const { subject, onDecided, onFailed } = props;
  const [deciding, setDeciding] = useState<Decision>();
  return (
    <Box display="flex" style={{ gap: 8 }}>
      <Button
        variant="contained"
        color="primary"
        onClick={() => setDeciding('approve')}
      >
        Approve
      </Button>
      <Button variant="outlined" onClick={() => setDeciding('reject')}>
        Reject
      </Button>
      {deciding && (
        <DecisionDialog
          subject={subject}
          decision={deciding}
          onClose={() => setDeciding(undefined)}
          onDecided={decided => {
            setDeciding(undefined);
            onDecided(decided);
          }}
          onFailed={onFailed}
        />
      )}
    </Box>
  );
};

/** Approve and Reject for a run the user may decide on, each asking for a comment. */
export const DecisionButtons = (props: {
  run: Run;
  onDecided: (run: Run) => void;
  onFailed?: (error: Error) => void;
}) => {
  const { run, onDecided, onFailed } = props;
  const api = useApi(runbookApiRef);
  const subject: DecisionSubject<Run> = {
    what: `${actionFormOf(run.action).title.toLocaleLowerCase('en-US')} on ${
      parseEntityRef(run.entityRef).name
    }`,
    decide: (decision, comment) =>
      decision === 'approve'
        ? api.approveRun(run.id, comment)
        : api.rejectRun(run.id, comment),
    explanation: RUN_DECISION_EXPLANATION,
  };
  return (
    <DecisionControls
      subject={subject}
      onDecided={onDecided}
      onFailed={onFailed}
    />
  );
};

/** What a decision on a fleet run does, said in its dialog. */
const FLEET_DECISION_EXPLANATION: Record<Decision, string> = {
  approve:
    'Your name, the time and your comment are kept with the fleet run and in the audit trail. With enough approvals it starts at once and its services are changed as you, so you must be allowed to change every one of them.',
  reject:
    'The fleet run ends rejected, with your comment as the reason; no service changes. Your name, the time and the comment go on the audit trail.',
};

/** "stop all on nexus-cos": a fleet run as decision dialogs and outcomes name it. */
export const fleetWhat = (fleet: FleetRun) =>
  `${FLEET_COPY[fleet.action].title.toLocaleLowerCase('en-US')} on ${
    parseEntityRef(fleet.scope).name
  }`;

/** Approve and Reject for a fleet run the user may decide on, each asking for a comment. */
export const FleetDecisionButtons = (props: {
  fleet: FleetRun;
  onDecided: (fleet: FleetRun) => void;
  onFailed?: (error: Error) => void;
}) => {
  const { fleet, onDecided, onFailed } = props;
  const api = useApi(runbookApiRef);
  const subject: DecisionSubject<FleetRun> = {
    what: fleetWhat(fleet),
    decide: (decision, comment) =>
      decision === 'approve'
        ? api.approveFleetRun(fleet.id, comment)
        : api.rejectFleetRun(fleet.id, comment),
    explanation: FLEET_DECISION_EXPLANATION,
  };
  return (
    <DecisionControls
      subject={subject}
      onDecided={onDecided}
      onFailed={onFailed}
    />
  );
};
