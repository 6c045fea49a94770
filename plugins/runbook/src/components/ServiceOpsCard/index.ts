export { ServiceOpsCard } from './ServiceOpsCard';
