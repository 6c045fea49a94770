export { RunLink } from './RunLink';
