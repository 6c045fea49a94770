export { RunbookEntityPicker } from './RunbookEntityPicker';
export type { RunbookEntityPickerOptions } from './RunbookEntityPicker';
