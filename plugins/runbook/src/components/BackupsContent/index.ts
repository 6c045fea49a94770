export { BackupsContent } from './BackupsContent';
