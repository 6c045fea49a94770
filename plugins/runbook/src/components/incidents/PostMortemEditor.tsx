import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import type { Incident, PostMortem } from '@nexus-cos/plugin-runbook-common';

type ActionItem = PostMortem['actionItems'][number];

/** Most timeline entries a post-mortem keeps, as its schema allows. */
const MAX_TIMELINE = 200;

/**
 * The runbook's post-mortem: root cause and action items for prevention. The timeline is
 * the incident's own, so nobody retypes it.
 */
export const PostMortemEditor = (props: {
  incident: Incident;
  onSave: (postMortem: PostMortem) => Promise<boolean>;
}) => {
  const { incident } = props;
  const [rootCause, setRootCause] = useState(
    incident.postMortem?.rootCause ?? '',
  );
  const [items, setItems] = useState<ActionItem[]>(
    incident.postMortem?.actionItems ?? [],
  );
  const [saved, setSaved] = useState(false);

  const change = (i: number, patch: Partial<ActionItem>) => {
    setSaved(false);
    setItems(all =>
      all.map((item, j) => (j === i ? { ...item, ...patch } : item)),
    );
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(
      await props.onSave({
        rootCause,
        actionItems: items,
        timeline: incident.timeline
          .slice(0, MAX_TIMELINE)
          .map(({ at, message }) => ({ at, message })),
      }),
    );
  };

  return (
    <form onSubmit={save} aria-label="Post-mortem">
      <TextField
        id={`root-cause-${incident.id}`}
        label="Root cause"
        value={rootCause}
        onChange={e => {
          setSaved(false);
          setRootCause(e.target.value);
        }}
        multiline
        minRows={3}
        required
        fullWidth
        margin="normal"
      />
      <Typography variant="overline">Action items</Typography>
      {items.length === 0 && (
        <Typography variant="body2">No action items yet.</Typography>
      )}
      {items.map((item, i) => (
        <Box
          key={i}
          display="flex"
          alignItems="center"
          role="group"
          aria-label={`Action item ${i + 1}`}
        >
          <TextField
            id={`action-${incident.id}-${i}-description`}
            label="Description"
            value={item.description}
            onChange={e => change(i, { description: e.target.value })}
            required
            style={{ flex: 2, marginRight: 8 }}
          />
          <TextField
            id={`action-${incident.id}-${i}-owner`}
            label="Owner"
            helperText="e.g. group:default/team-media"
            value={item.owner}
            onChange={e => change(i, { owner: e.target.value })}
            required
            style={{ flex: 1, marginRight: 8 }}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={item.done}
                onChange={e => change(i, { done: e.target.checked })}
              />
            }
            label="Done"
          />
          <IconButton
            aria-label={`Remove action item ${i + 1}`}
            onClick={() => {
              setSaved(false);
              setItems(all => all.filter((_, j) => j !== i));
            }}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Box display="flex" alignItems="center" mt={1}>
        <Button
          onClick={() =>
            setItems(all => [
              ...all,
              { description: '', owner: '', done: false },
            ])
          }
        >
          Add action item
        </Button>
        <Button type="submit" color="primary" variant="contained">
          Save post-mortem
        </Button>
        {saved && (
          <Typography role="status" variant="body2" style={{ marginLeft: 8 }}>
            Post-mortem saved
          </Typography>
        )}
      </Box>
    </form>
  );
};
