export { FleetCard } from './FleetCard';
