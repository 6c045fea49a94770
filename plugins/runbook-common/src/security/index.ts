export * from './types';
export * from './trivyReport';
