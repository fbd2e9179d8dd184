export * from './app-error';
export * from './problem';
export * from './problem.filter';
export * from './to-problem';
export * from './validation';
