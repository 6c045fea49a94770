import { FormEvent, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  Incident,
  INCIDENT_SEVERITIES,
  IncidentSeverity,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { SEVERITY_DESCRIPTIONS } from './severityDescriptions';

/** What the dialog opens with, e.g. from a degraded health reason. */
export type DeclareIncidentDefaults = {
  title?: string;
  severity?: IncidentSeverity;
  entityRefs: string[];
};

/**
 * Declares an incident: title, a severity chosen with the runbook's descriptions, the
 * affected entities (prefilled) and a description. The backend's refusal is shown as is.
 */
export const DeclareIncidentDialog = (props: {
  open: boolean;
  defaults: DeclareIncidentDefaults;
  onClose: () => void;
  onDeclared: (incident: Incident) => void;
}) => {
  const { open, defaults, onClose, onDeclared } = props;
  const api = useApi(runbookApiRef);
  const [title, setTitle] = useState(defaults.title ?? '');
  const [severity, setSeverity] = useState<IncidentSeverity>(
    defaults.severity ?? 'P2',
  );
  const [entities, setEntities] = useState(defaults.entityRefs.join(', '));
  const [description, setDescription] = useState('');
  const [error, setError] = useState<Error>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      const incident = await api.declareIncident({
        title,
        severity,
        entityRefs: entities
          .split(',')
          .map(ref => ref.trim())
          .filter(Boolean),
        ...(description.trim() ? { description } : {}),
      });
      onDeclared(incident);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="declare-incident-title"
      fullWidth
    >
      <form onSubmit={submit} aria-label="Declare incident">
        <DialogTitle id="declare-incident-title">Declare incident</DialogTitle>
        <DialogContent>
          {error && <Alert severity="error">{error.message}</Alert>}
          <TextField
            id="declare-incident-name"
            label="Title"
            value={title}
            onChange={e => setTitle(e.target.value)}
            required
            fullWidth
            margin="normal"
          />
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Severity</FormLabel>
            <RadioGroup
              value={severity}
              onChange={e => setSeverity(e.target.value as IncidentSeverity)}
            >
              {INCIDENT_SEVERITIES.map(s => {
                const d = SEVERITY_DESCRIPTIONS[s];
                return (
                  <FormControlLabel
                    key={s}
                    value={s}
                    control={<Radio />}
                    label={`${s} ${d.label}: ${d.examples} (respond: ${d.response})`}
                  />
                );
              })}
            </RadioGroup>
          </FormControl>
          <TextField
            id="declare-incident-entities"
            label="Affected entities"
            helperText="Entity refs, separated by commas"
            value={entities}
            onChange={e => setEntities(e.target.value)}
            required
            fullWidth
            margin="normal"
          />
          <TextField
            id="declare-incident-description"
            label="Description"
            value={description}
            onChange={e => setDescription(e.target.value)}
            multiline
            minRows={3}
            fullWidth
            margin="normal"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            Declare
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
