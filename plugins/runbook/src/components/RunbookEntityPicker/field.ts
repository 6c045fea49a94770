import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { RunbookEntityPicker } from './RunbookEntityPicker';

/** The `RunbookEntityPicker` scaffolder field for the new frontend system. */
export const runbookEntityPickerField = createFormField({
  name: 'RunbookEntityPicker',
  component: RunbookEntityPicker,
});
