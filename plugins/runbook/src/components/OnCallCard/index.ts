export { OnCallCard } from './OnCallCard';
export { PersonLine } from './PersonLine';
