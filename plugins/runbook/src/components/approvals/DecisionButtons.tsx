import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { Decision, DecisionDialog } from './DecisionDialog';

/** Approve and Reject for a run the user may decide on, each asking for a comment. */
export const DecisionButtons = (props: {
  run: Run;
  onDecided: (run: Run) => void;
  onFailed?: (error: Error) => void;
}) => {
  const { run, onDecided, onFailed } = props;
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
          run={run}
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
