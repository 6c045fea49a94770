import { useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  MAX_MAINTENANCE_NOTE_LENGTH,
  MaintenanceItem,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';

/** Ticks a manual item: what was done, in a note that the audit trail keeps. */
export const CompleteItemDialog = (props: {
  item: MaintenanceItem;
  onClose: () => void;
  onDone: () => void;
}) => {
  const { item, onClose, onDone } = props;
  const api = useApi(runbookApiRef);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await api.completeMaintenanceItem(item.id, note.trim());
      onDone();
    } catch (e) {
      setError(e as Error);
      setSaving(false);
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="maintenance-complete-title"
      fullWidth
    >
      <DialogTitle id="maintenance-complete-title">{item.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Say what you did and what you found; your name, the time and the note
          go on the audit trail.
        </DialogContentText>
        <TextField
          id="maintenance-note"
          label="Note"
          value={note}
          onChange={e => setNote(e.target.value)}
          inputProps={{ maxLength: MAX_MAINTENANCE_NOTE_LENGTH }}
          multiline
          minRows={3}
          required
          fullWidth
          margin="normal"
        />
        {error && <ResponseErrorPanel error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={!note.trim() || saving}
        >
          Mark done
        </Button>
      </DialogActions>
    </Dialog>
  );
};
