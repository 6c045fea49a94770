import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { Incident } from '@nexus-cos/plugin-runbook-common';
import { RelativeTime } from '../time';

/** The incident's timeline, oldest first, and a field to add a note to it. */
export const IncidentTimeline = (props: {
  incident: Incident;
  onAdd: (message: string) => Promise<boolean>;
}) => {
  const [message, setMessage] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await props.onAdd(message)) setMessage('');
  };
  return (
    <>
      <Box component="ol" pl={2} aria-label="Timeline">
        {props.incident.timeline.map(entry => (
          <li key={entry.seq}>
            <Typography variant="body2">
              <RelativeTime iso={entry.at} /> · {entry.author} · {entry.kind}:{' '}
              {entry.message}
            </Typography>
          </li>
        ))}
      </Box>
      <Box
        component="form"
        onSubmit={submit}
        display="flex"
        alignItems="flex-end"
        aria-label="Add timeline entry"
      >
        <TextField
          id={`timeline-note-${props.incident.id}`}
          label="Timeline note"
          value={message}
          onChange={e => setMessage(e.target.value)}
          fullWidth
        />
        <Button type="submit" disabled={!message.trim()}>
          Add
        </Button>
      </Box>
    </>
  );
};
