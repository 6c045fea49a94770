import { useState } from 'react';
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
  actionGuard,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { maskSecretsInError, secretInputValues } from '../secrets';
import type { ActionForm } from './actionForm';
import { DiffView } from './DiffView';

/**
 * Shows what a request would change (the server's dry run) and starts it on confirmation.
 * Production services, and inputs whose definition guards them (an in-place restore),
 * need their entity's name typed first. Every attempt sends `idempotencyKey`,
 * so a retried confirmation returns the first run, never a second one. The values of the
 * form's secret fields are masked wherever an answer would show them.
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
  const { runbook, form, request, idempotencyKey, onClose, onStarted } = props;
  const api = useApi(runbookApiRef);
  const [typed, setTyped] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();
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
  const confirmed = !confirmText || typed === confirmText;
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
        { ...request, ...(confirmText ? { confirm: typed } : {}) },
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
          Run
        </Button>
      </DialogActions>
    </Dialog>
  );
};
