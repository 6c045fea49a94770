export { IncidentsContent } from './IncidentsContent';
