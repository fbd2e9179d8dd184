export * from './events';
export * from './factories';
export * from './mail';
export * from './test-app';
export * from './tickets';
