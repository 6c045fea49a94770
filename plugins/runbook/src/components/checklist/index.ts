export { ChecklistSteps } from './ChecklistSteps';
