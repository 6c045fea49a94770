export { SystemHealthCard } from './SystemHealthCard';
