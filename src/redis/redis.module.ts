import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from 'src/config/app-config';
import { redactUrl } from 'src/config/redact-url';
import { RateCounter } from './rate-counter';
import { REDIS } from './redis.token';

export { REDIS };

/** Shared ioredis client for counters and locks. Fails fast (no offline queue) while Redis is down. */
export function createRedisClient(config: AppConfig, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  let reported = false;
  const client = new Redis(config.redisUrl, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  client.on('error', (error: Error) => {
    if (!reported)
      logger.warn(`Redis at ${redactUrl(config.redisUrl)} is unreachable: ${error.message}`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.log('Redis is reachable again');
    reported = false;
  });
  return client;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedisClient(config, 'main'),
    },
    RateCounter,
  ],
  exports: [REDIS, RateCounter],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
