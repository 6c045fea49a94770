export { DrDrillsContent } from './DrDrillsContent';
