export * from './events';
export * from './factories';
export * from './mail';
export * from './redis-server';
export * from './smtp';
export * from './test-app';
export * from './tickets';
export * from './wait';
