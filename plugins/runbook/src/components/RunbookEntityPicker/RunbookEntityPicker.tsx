import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  RUNBOOK_ACTIONS,
  RunbookActionName,
  actionDefinition,
} from '@nexus-cos/plugin-runbook-common';
import Box from '@material-ui/core/Box';
import { FreezeNotice, freezeText } from '../approvals';
import { RunnableEntity, useRunnableEntities } from './useRunnableEntities';

/** `ui:options` of the field: which runbook action the template runs on the entity. */
export type RunbookEntityPickerOptions = { action?: string };

/**
 * Scaffolder field `RunbookEntityPicker`: lists only the entities on which the signed-in
 * user may run the template's runbook action (`ui:options.action`), as the server decides;
 * the others are shown disabled with the server's reason. A change freeze in force on an
 * entity is named in the list and, for the chosen one, said under the field.
 */
export const RunbookEntityPicker = (
  props: FieldExtensionComponentProps<string, RunbookEntityPickerOptions>,
) => {
  const {
    formData,
    onChange,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
  } = props;
  const configured = uiSchema['ui:options']?.action;
  const action = RUNBOOK_ACTIONS.find(a => a === configured);
  if (!action) {
    return (
      <FormHelperText error>
        RunbookEntityPicker needs ui:options.action, one of{' '}
        {RUNBOOK_ACTIONS.join(', ')}; got {String(configured ?? 'nothing')}
      </FormHelperText>
    );
  }
  return (
    <Picker
      action={action}
      value={formData}
      onChange={onChange}
      required={required}
      errors={rawErrors}
      label={schema.title ?? 'Service'}
      description={schema.description}
      id={idSchema?.$id}
    />
  );
};

function Picker(props: {
  action: RunbookActionName;
  value?: string;
  onChange: (ref: string | undefined) => void;
  required?: boolean;
  errors?: string[];
  label: string;
  description?: string;
  id?: string;
}) {
  const { value, error, loading } = useRunnableEntities(props.action);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const options = [...(value ?? [])].sort(
    (a, b) =>
      Number(b.allowed) - Number(a.allowed) || a.title.localeCompare(b.title),
  );
  const allowedCount = options.filter(o => o.allowed).length;
  const chosen = options.find(o => o.ref === props.value);
  // Reads (diagnostics) go on during a freeze; only changes are held.
  const held = actionDefinition(props.action).changesState;
  return (
    <FormControl
      fullWidth
      required={props.required}
      error={Boolean(props.errors?.length)}
    >
      <Autocomplete<RunnableEntity>
        id={props.id}
        options={options}
        value={chosen ?? null}
        onChange={(_, option) => props.onChange(option?.ref)}
        getOptionLabel={o => o.title}
        getOptionDisabled={o => !o.allowed}
        renderOption={o => (
          <div>
            <div>{o.title}</div>
            {!o.allowed && o.reason && (
              <FormHelperText component="span">{o.reason}</FormHelperText>
            )}
            {held && o.freeze && (
              <FormHelperText component="span">
                {freezeText(o.freeze)}
              </FormHelperText>
            )}
          </div>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={props.label}
            required={props.required}
            variant="outlined"
          />
        )}
      />
      <FormHelperText>
        {allowedCount === 0
          ? `You may not run ${props.action} on any of them`
          : props.description ??
            `${allowedCount} of ${options.length} you may run ${props.action} on`}
      </FormHelperText>
      {held && chosen?.freeze && (
        <Box mt={1}>
          <FreezeNotice freeze={chosen.freeze}>
            This template's change to {chosen.title} will be refused until then.
            An emergency change is requested from its Runbook tab, naming an
            open P0 or P1 incident, and waits for another person's approval.
          </FreezeNotice>
        </Box>
      )}
    </FormControl>
  );
}
