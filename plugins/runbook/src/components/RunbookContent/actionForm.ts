import {
  actionDefinition,
  ActionFormField,
  FormValues,
  RUNBOOK_ACTIONS,
  RunbookActionDefinition,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';

/** The copy and the inputs of one action's form: the parts of its definition a form shows. */
export type ActionForm = Pick<
  RunbookActionDefinition,
  'title' | 'description' | 'fields'
>;

/**
 * The form of an action, read from its definition in -common. An action this bundle does
 * not know (a backend newer than the frontend) gets its name and no fields: the request
 * check then refuses it, and the form stays unsubmittable.
 */
export function actionFormOf(action: RunbookActionName): ActionForm {
  return RUNBOOK_ACTIONS.includes(action)
    ? actionDefinition(action)
    : { title: action, description: '', fields: [] };
}

/** The values a fresh form starts with. */
export function initialValues(fields: readonly ActionFormField[]): FormValues {
  const initial = (f: ActionFormField) => {
    if (f.type === 'boolean') return f.initial ?? false;
    return f.type === 'checklist' ? [] : '';
  };
  return Object.fromEntries(fields.map(f => [f.name, initial(f)]));
}

/** Whether the user has entered anything in a field (a ticked box counts). */
export function isFilled(value: FormValues[string]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== '';
}
