import { useMemo, useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  RunbookResolution,
  RunRequest,
  StartRunResult,
  actionDefinition,
  actionGuard,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { maskSecretsInError, secretInputValues } from '../secrets';
import type { ActionForm } from './actionForm';
import { DiffView } from './DiffView';
import { EmergencyIncidentField } from './EmergencyIncidentField';

/**
 * Shows what a request would change (the server's dry run) and starts it on confirmation.
 * Production services, and inputs whose definition guards them (an in-place restore),
 * need their entity's name typed first. Every attempt sends `idempotencyKey`,
 * so a retried confirmation returns the first run, never a second one. The values of the
 * form's secret fields are masked wherever an answer would show them. During a change
 * freeze a change asks for the open P0 or P1 incident it answers (`emergencyIncident`),
 * and is requested for approval rather than run.
 */
export const ConfirmRunDialog = (props: {
  runbook: RunbookResolution;
  /** The form the request came from. */
  form: ActionForm;
  request: RunRequest & { reason?: string };
  idempotencyKey: string;
  onClose: () => void;
  onStarted: (result: StartRunResult) => void;
}) => {
  const { runbook, form, idempotencyKey, onClose, onStarted } = props;
  // A service in several clusters: the request names the one the tab shows.
  const several = (runbook.clusters?.length ?? 0) > 1;
  const request = useMemo(
    () =>
      several ? { ...props.request, cluster: runbook.cluster } : props.request,
    [props.request, several, runbook.cluster],
  );
  const api = useApi(runbookApiRef);
  const [typed, setTyped] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();
  const [emergencyIncident, setEmergencyIncident] = useState<string>();
  const dryRun = useLoader(
    () => api.dryRun(runbook.entityRef, request),
    [api, runbook.entityRef, request],
  );
  // The engine refuses a run without it whenever it names one (production services),
  // and whenever the input's guard asks for it.
  const guard = actionGuard(request.action, request.input);
  const entity = parseEntityRef(runbook.entityRef);
  const confirmText =
    runbook.confirmText ?? (guard?.confirm ? entity.name : undefined);
  const freeze = actionDefinition(request.action).changesState
    ? runbook.freeze
    : undefined;
  const confirmed =
    (!confirmText || typed === confirmText) && (!freeze || emergencyIncident);
  const title = `${form.title} ${runbook.service}`;
  const secrets = secretInputValues(form.fields, request.input);
  const showError = (error: Error) => (
    <ResponseErrorPanel error={maskSecretsInError(error, secrets)} />
  );

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      const result = await api.startRun(
        runbook.entityRef,
        {
          ...request,
          ...(confirmText ? { confirm: typed } : {}),
          ...(freeze ? { emergencyIncident } : {}),
        },
        { idempotencyKey },
      );
      onStarted(result);
    } catch (error) {
      setStartError(error as Error);
      setStarting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="runbook-confirm-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="runbook-confirm-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {entity.kind.toLocaleLowerCase('en-US') === 'resource'
            ? 'Dry run: what this run would do.'
            : `Dry run against ${runbook.cluster}/${runbook.namespace}: these are the changes the API server would make.`}
        </DialogContentText>
        {dryRun.loading && <Progress />}
        {dryRun.error && showError(dryRun.error)}
        {dryRun.value && (
          <DiffView diff={dryRun.value.diff} secrets={secrets} />
        )}
        {freeze && (
          <EmergencyIncidentField
            freeze={freeze}
            entityRef={runbook.entityRef}
            service={runbook.service}
            value={emergencyIncident}
            onChange={setEmergencyIncident}
          />
        )}
        {confirmText && (
          <TextField
            id="runbook-confirm-text"
            label={`Type ${confirmText} to confirm`}
            helperText={
              runbook.confirmText
                ? 'This is a production service.'
                : `${guard?.why}.`
            }
            value={typed}
            onChange={e => setTyped(e.target.value)}
            autoComplete="off"
            margin="normal"
            fullWidth
          />
        )}
        {startError && showError(startError)}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={start}
          disabled={!dryRun.value || !confirmed || starting}
        >
          {freeze ? 'Request approval' : 'Run'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
