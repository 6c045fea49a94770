import { useMemo, useState } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import {
  ActionAvailability,
  ActionFormField,
  ActionLimits,
  FormValues,
  RunRequest,
  actionGuard,
} from '@nexus-cos/plugin-runbook-common';
import { maskSecrets, secretFormValues } from '../secrets';
import { ActionForm, initialValues, isFilled } from './actionForm';
import { ChecklistField } from './ChecklistField';
import { validateActionForm } from './validateActionForm';

const fieldType = (spec: ActionFormField) => {
  if (spec.secret) return 'password';
  return spec.type === 'number' ? 'number' : 'text';
};

/**
 * One runbook action: its form, checked against the resolved limits as the user types,
 * and a button that asks for the dry run. Actions the user may not run stay visible,
 * disabled, with the server's reason. Secret fields are masked, and so are their values
 * in any message. An input the definition guards (an in-place restore) says why and
 * needs a reason before it can be reviewed.
 */
export const ActionFormPanel = (props: {
  availability: ActionAvailability;
  /** The action's form, from its definition (`actionFormOf`). */
  form: ActionForm;
  limits: ActionLimits;
  onReview: (request: RunRequest & { reason?: string }) => void;
  /** Values to start from (a backup picked in a list); the form then opens. */
  preset?: FormValues;
  /** Opens the form at once, e.g. when a diagnosis links to the action that fixes it. */
  expanded?: boolean;
}) => {
  const { availability, form, limits, onReview, preset, expanded } = props;
  const { action, allowed, reason: deniedReason } = availability;
  const [values, setValues] = useState<FormValues>(() => ({
    ...initialValues(form.fields),
    ...preset,
  }));
  const [reason, setReason] = useState('');
  const validation = useMemo(
    () => validateActionForm(action, form.fields, values, limits),
    [action, form.fields, values, limits],
  );
  const touched = form.fields.some(
    f => f.type !== 'boolean' && isFilled(values[f.name]),
  );
  const secrets = secretFormValues(form.fields, values);
  const id = `runbook-action-${action}`;
  const guard =
    validation.request && actionGuard(action, validation.request.input);
  const missingReason = Boolean(guard?.reason) && !reason.trim();

  const field = (spec: ActionFormField) => {
    if (spec.shownWhen && !spec.shownWhen(values)) return null;
    const set = (value: FormValues[string]) =>
      setValues(v => ({ ...v, [spec.name]: value }));
    const value = values[spec.name];
    const fieldError = isFilled(value)
      ? validation.fieldErrors[spec.name]
      : undefined;
    const error = fieldError && maskSecrets(fieldError, secrets);
    if (spec.type === 'checklist') {
      return (
        <ChecklistField
          key={spec.name}
          label={spec.label}
          options={spec.options ?? []}
          value={Array.isArray(value) ? value : []}
          onChange={set}
          disabled={!allowed}
          error={error}
        />
      );
    }
    if (spec.type === 'select') {
      return (
        <TextField
          key={spec.name}
          id={`${id}-${spec.name}`}
          select
          label={spec.label}
          required={spec.required}
          disabled={!allowed}
          value={value}
          onChange={e => set(e.target.value)}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          error={Boolean(error)}
          helperText={error ?? spec.hint?.(limits) ?? ' '}
          margin="dense"
          fullWidth
        >
          <option value="" disabled>
            Choose…
          </option>
          {(spec.options ?? []).map(option => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </TextField>
      );
    }
    if (spec.type === 'boolean') {
      return (
        <FormControlLabel
          key={spec.name}
          label={spec.label}
          disabled={!allowed}
          control={
            <Checkbox
              checked={value === true}
              onChange={e => set(e.target.checked)}
            />
          }
        />
      );
    }
    return (
      <TextField
        key={spec.name}
        id={`${id}-${spec.name}`}
        label={spec.label}
        type={fieldType(spec)}
        autoComplete={spec.secret ? 'off' : undefined}
        required={spec.required}
        disabled={!allowed}
        value={value}
        onChange={e => set(e.target.value)}
        error={Boolean(error)}
        helperText={error ?? spec.hint?.(limits) ?? ' '}
        margin="dense"
        fullWidth
      />
    );
  };

  const review = (
    <Button
      variant="contained"
      color="primary"
      type="submit"
      disabled={!allowed || !validation.request || missingReason}
    >
      Review {form.title.toLocaleLowerCase('en-US')}
    </Button>
  );

  return (
    <Accordion defaultExpanded={expanded || Boolean(preset)}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${id}-content`}
        id={`${id}-header`}
      >
        <Box>
          <Typography variant="subtitle1">{form.title}</Typography>
          <Typography variant="body2" color="textSecondary">
            {form.description}
          </Typography>
          {!allowed && (
            <Typography variant="body2" color="error">
              Not allowed: {deniedReason ?? 'the server gave no reason'}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${id}-content`}>
        <Box
          component="form"
          width="100%"
          aria-label={form.title}
          onSubmit={(e: React.FormEvent) => {
            e.preventDefault();
            if (validation.request) {
              onReview({
                ...validation.request,
                ...(reason.trim() ? { reason: reason.trim() } : {}),
              });
            }
          }}
        >
          {form.fields.map(field)}
          {guard && (
            <Alert severity="warning">
              {guard.why}.
              {guard.permission &&
                ` It needs the ${guard.permission.name} permission.`}
              {guard.confirm && ' You will type the name to confirm.'}
            </Alert>
          )}
          <TextField
            id={`${id}-reason`}
            label="Reason"
            required={Boolean(guard?.reason)}
            disabled={!allowed}
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText={
              guard?.reason
                ? 'Required: kept with the run in the audit trail'
                : 'Kept with the run in the audit trail'
            }
            inputProps={{ maxLength: 500 }}
            margin="dense"
            fullWidth
          />
          {touched &&
            validation.formErrors.map(message => (
              <Typography key={message} variant="body2" color="error">
                {maskSecrets(message, secrets)}
              </Typography>
            ))}
          <Box mt={1}>
            {allowed ? (
              review
            ) : (
              <Tooltip title={deniedReason ?? ''}>
                {/* A disabled button gets no pointer events; the span carries the tooltip. */}
                <span>{review}</span>
              </Tooltip>
            )}
          </Box>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
