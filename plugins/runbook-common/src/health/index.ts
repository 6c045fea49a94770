export * from './types';
export * from './checklists';
