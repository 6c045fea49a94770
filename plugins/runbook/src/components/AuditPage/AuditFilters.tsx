import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { AuditFilter, RUNBOOK_ACTIONS } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';

type Draft = Record<keyof AuditFilter, string>;

const EMPTY: Draft = {
  entity: '',
  actor: '',
  action: '',
  outcome: '',
  run: '',
  from: '',
  to: '',
};

/** The filters a link may set in the page's query string, e.g. `?run=<id>`. */
export const LINKABLE_FILTERS = [
  'entity',
  'actor',
  'action',
  'outcome',
  'run',
] as const;

// datetime-local inputs give local wall-clock time; the API compares UTC instants.
const toInstant = (local: string) =>
  local ? DateTime.fromISO(local).toUTC().toISO() ?? undefined : undefined;

function toFilter(draft: Draft): AuditFilter {
  const text = (value: string) => value.trim() || undefined;
  const filter: AuditFilter = {
    entity: text(draft.entity),
    actor: text(draft.actor),
    action: text(draft.action),
    outcome: text(draft.outcome),
    run: text(draft.run),
    from: toInstant(draft.from),
    to: toInstant(draft.to),
  };
  return Object.fromEntries(
    Object.entries(filter).filter(([, v]) => v !== undefined),
  );
}

/**
 * The audit filters, starting from `initial` (a link's); nothing is queried until the user
 * applies them.
 */
export const AuditFilters = (props: {
  initial?: AuditFilter;
  onApply: (filter: AuditFilter) => void;
}) => {
  const [draft, setDraft] = useState<Draft>(() => ({
    ...EMPTY,
    ...Object.fromEntries(
      LINKABLE_FILTERS.map(key => [key, props.initial?.[key] ?? '']),
    ),
  }));
  const field = (name: keyof Draft, label: string, placeholder?: string) => (
    <TextField
      id={`audit-filter-${name}`}
      label={label}
      placeholder={placeholder}
      value={draft[name]}
      onChange={e => setDraft(d => ({ ...d, [name]: e.target.value }))}
      margin="dense"
    />
  );
  const time = (name: 'from' | 'to', label: string) => (
    <TextField
      id={`audit-filter-${name}`}
      label={label}
      type="datetime-local"
      value={draft[name]}
      onChange={e => setDraft(d => ({ ...d, [name]: e.target.value }))}
      InputLabelProps={{ shrink: true }}
      margin="dense"
    />
  );
  return (
    <Box
      component="form"
      aria-label="Audit filters"
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 16 }}
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        props.onApply(toFilter(draft));
      }}
    >
      {field('entity', 'Entity', 'component:default/media-upload')}
      {field('actor', 'Actor', 'user:default/alice')}
      <TextField
        id="audit-filter-action"
        select
        label="Action"
        value={draft.action}
        onChange={e => setDraft(d => ({ ...d, action: e.target.value }))}
        margin="dense"
        style={{ minWidth: 180 }}
      >
        <MenuItem value="">Any</MenuItem>
        {RUNBOOK_ACTIONS.map(action => (
          <MenuItem key={action} value={action}>
            {action}
          </MenuItem>
        ))}
      </TextField>
      {field('outcome', 'Outcome', 'succeeded')}
      {field('run', 'Run', 'run id')}
      {time('from', 'From')}
      {time('to', 'Until')}
      <Button type="submit" variant="contained" color="primary">
        Apply filters
      </Button>
      <Button
        onClick={() => {
          setDraft(EMPTY);
          props.onApply({});
        }}
      >
        Clear
      </Button>
    </Box>
  );
};
