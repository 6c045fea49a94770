import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import {
  FleetAction,
  FleetRun,
  MAX_GRACE_PERIOD_SECONDS,
  MAX_REASON_LENGTH,
  gracePeriodSchema,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { FLEET_COPY, services } from './fleetCopy';
import { FleetPlanTable } from './FleetPlanTable';

/** Why a typed grace period is refused, in the words of the stop action's schema. */
function graceIssue(text: string): string | undefined {
  if (text === '') return undefined;
  const parsed = gracePeriodSchema.safeParse(Number(text));
  return parsed.success ? undefined : parsed.error.issues[0].message;
}

/**
 * The plan of a fleet run before anything runs: the server's dry run, in order, with each
 * service's step and the skips with their reasons. Stop-all takes a grace period; a scope
 * with production services needs its name typed. Starting it hands over the fleet run.
 */
export const FleetPreview = (props: {
  scope: string;
  action: FleetAction;
  onClose: () => void;
  onStarted: (fleet: FleetRun) => void;
}) => {
  const { scope, action, onClose, onStarted } = props;
  const api = useApi(runbookApiRef);
  const copy = FLEET_COPY[action];
  const dryRun = useLoader(
    () => api.dryRunFleet({ action, scope }),
    [api, action, scope],
  );
  const [grace, setGrace] = useState('');
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();

  const plan = dryRun.value;
  const toRun = plan?.children.filter(c => c.status === 'not-started').length;
  const confirmText = plan?.confirmText;
  const badGrace = action === 'stop-all' ? graceIssue(grace) : undefined;
  const ready =
    plan &&
    toRun! > 0 &&
    !badGrace &&
    (!confirmText || typed === confirmText) &&
    !starting;

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      onStarted(
        await api.startFleetRun({
          action,
          scope,
          ...(action === 'stop-all' && grace !== ''
            ? { gracePeriodSeconds: Number(grace) }
            : {}),
          ...(confirmText ? { confirm: typed } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        }),
      );
    } catch (error) {
      setStartError(error as Error);
      setStarting(false);
    }
  };

  return (
    <>
      <DialogContent>
        <DialogContentText>{copy.explain}</DialogContentText>
        {dryRun.loading && !plan && <Progress />}
        {dryRun.error && <ResponseErrorPanel error={dryRun.error} />}
        {plan && (
          <>
            <FleetPlanTable
              plan={plan.plan}
              children={plan.children}
              pending={`will ${copy.verb.toLocaleLowerCase('en-US')}`}
            />
            {toRun === 0 && (
              <DialogContentText style={{ marginTop: 16 }}>
                Nothing to do: every service is skipped.
              </DialogContentText>
            )}
          </>
        )}
        {action === 'stop-all' && (
          <TextField
            id="fleet-grace-period"
            label="Grace period (seconds)"
            type="number"
            value={grace}
            onChange={e => setGrace(e.target.value)}
            error={Boolean(badGrace)}
            helperText={
              badGrace ??
              `Optional, 0 to ${MAX_GRACE_PERIOD_SECONDS}: how long each pod gets to shut down. Default: each pod's own terminationGracePeriodSeconds.`
            }
            margin="normal"
            fullWidth
          />
        )}
        <TextField
          id="fleet-reason"
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ maxLength: MAX_REASON_LENGTH }}
          helperText="Optional; kept with the fleet run, each service's run and the audit trail."
          margin="normal"
          fullWidth
        />
        {confirmText && (
          <TextField
            id="fleet-confirm-text"
            label={`Type ${confirmText} to confirm`}
            helperText="Production services are in this plan."
            value={typed}
            onChange={e => setTyped(e.target.value)}
            autoComplete="off"
            margin="normal"
            fullWidth
          />
        )}
        {startError && <ResponseErrorPanel error={startError} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={start}
          disabled={!ready}
        >
          {copy.verb} {services(toRun ?? 0)}
        </Button>
      </DialogActions>
    </>
  );
};
