export * from './deferred-inserts';
export * from './domain-event';
export * from './domain-events';
export * from './unit-of-work';
export * from './unit-of-work.interceptor';
