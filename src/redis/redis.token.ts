/** The shared ioredis client (RedisModule). Its own file so providers here can inject it. */
export const REDIS = Symbol('REDIS');
