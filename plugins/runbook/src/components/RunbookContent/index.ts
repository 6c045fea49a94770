export { RunbookContent } from './RunbookContent';
