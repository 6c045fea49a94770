export * from './schemas';
export * from './types';
export * from './phases';
export * from './respondBy';
