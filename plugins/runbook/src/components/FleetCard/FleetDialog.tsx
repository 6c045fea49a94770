import { useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import Dialog from '@material-ui/core/Dialog';
import DialogTitle from '@material-ui/core/DialogTitle';
import type { FleetAction } from '@nexus-cos/plugin-runbook-common';
import { FLEET_COPY } from './fleetCopy';
import { FleetPreview } from './FleetPreview';
import { FleetProgress } from './FleetProgress';

/**
 * A fleet run over `scope` from its plan to its end: the preview first, then, once
 * started, its progress. With `fleetId` it shows that fleet run's progress at once.
 */
export const FleetDialog = (props: {
  scope: string;
  action: FleetAction;
  fleetId?: string;
  onClose: () => void;
  pollMs?: number;
}) => {
  const { scope, action, onClose, pollMs } = props;
  const [fleetId, setFleetId] = useState(props.fleetId);
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="runbook-fleet-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="runbook-fleet-title">
        {FLEET_COPY[action].title}: {parseEntityRef(scope).name}
      </DialogTitle>
      {fleetId ? (
        <FleetProgress fleetId={fleetId} onClose={onClose} pollMs={pollMs} />
      ) : (
        <FleetPreview
          scope={scope}
          action={action}
          onClose={onClose}
          onStarted={fleet => setFleetId(fleet.id)}
        />
      )}
    </Dialog>
  );
};
