import {
  ActionFormField,
  ActionLimits,
  checkActionLimits,
  FormValues,
  parseRunRequest,
  RunbookActionName,
  RunRequest,
} from '@nexus-cos/plugin-runbook-common';

/** The outcome of checking a form: the request when valid, else messages per field. */
export type FormValidation = {
  request?: RunRequest;
  /** Messages keyed by field name; each names the field and the limit. */
  fieldErrors: Record<string, string>;
  /** Messages about the input as a whole ("must set requests or limits"). */
  formErrors: string[];
};

function setPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** The action's input from the visible, filled-in fields. */
function buildInput(fields: readonly ActionFormField[], values: FormValues) {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.shownWhen && !field.shownWhen(values)) continue;
    if (field.type === 'boolean') setPath(input, field.name, value === true);
    else if (Array.isArray(value)) setPath(input, field.name, value);
    else if (typeof value === 'string' && value.trim() !== '') {
      setPath(
        input,
        field.name,
        field.type === 'number' ? Number(value) : value.trim(),
      );
    }
  }
  return input;
}

/**
 * Checks the form as the backend will: the action's zod schema from -common first, then
 * the resolved limits with the same `checkActionLimits` the engine runs.
 */
export function validateActionForm(
  action: RunbookActionName,
  fields: readonly ActionFormField[],
  values: FormValues,
  limits: ActionLimits,
): FormValidation {
  const parsed = parseRunRequest({ action, input: buildInput(fields, values) });
  const issues = parsed.success
    ? checkActionLimits(parsed.request, limits)
    : parsed.issues;
  const fieldErrors: Record<string, string> = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    const name = issue.field.replace(/^input\.?/, '');
    // Schema messages start with "must ...": prefix the field so the message names it.
    const message = issue.message.startsWith('must')
      ? `${name || 'input'} ${issue.message}`
      : issue.message;
    if (fields.some(f => f.name === name)) fieldErrors[name] ??= message;
    else formErrors.push(message);
  }
  return {
    request: issues.length === 0 && parsed.success ? parsed.request : undefined,
    fieldErrors,
    formErrors,
  };
}
