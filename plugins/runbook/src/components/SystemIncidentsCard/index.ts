export { SystemIncidentsCard } from './SystemIncidentsCard';
