export { getSystemComponents } from './getSystemComponents';
