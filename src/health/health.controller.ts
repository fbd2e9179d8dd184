import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
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
  @Endpoint({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is running',
    access: access.public(),
  })
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Endpoint({
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL and Redis answer',
    access: access.public(),
  })
  @HealthCheck()
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.checkAll();
    } catch (error) {
      // Terminus throws a bare "Service Unavailable Exception": say which dependency is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as Partial<HealthCheckResult>;
      const down = Object.keys(result.error ?? {}).sort();
      throw new ServiceUnavailableError(
        `Not ready: ${down.join(', ') || 'a dependency'} does not answer.`,
        { headers: { 'Retry-After': '5' } },
      );
    }
  }

  private checkAll(): Promise<HealthCheckResult> {
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
