import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from 'src/auth/access.decorators';
import { REDIS } from 'src/redis/redis.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      async () => {
        const answer = await Promise.race([
          this.redis.ping().catch(() => 'down'),
          new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1500).unref()),
        ]);
        const redis = this.indicators.check('redis');
        return answer === 'PONG' ? redis.up() : redis.down({ message: answer });
      },
    ]);
  }
}
