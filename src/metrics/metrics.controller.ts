import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { NotFoundError, safeEqual, UnauthenticatedError } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AppConfig } from 'src/config/app-config';
import { MetricsService } from './metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  // Scraped by Prometheus. Public to the access guard (a scraper has no user), but gated by
  // METRICS_TOKEN when set and absent (404) with METRICS_ENABLED=false.
  @Get()
  @Endpoint({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    access: access.publicWithOwnCredentials(),
  })
  @ApiExcludeEndpoint(false)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (!this.config.metricsEnabled) throw new NotFoundError('Metrics are turned off.');
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
      if (!safeEqual(presented, token)) {
        throw new UnauthenticatedError('Metrics need Authorization: Bearer <METRICS_TOKEN>.');
      }
    }
    return this.metrics.render();
  }
}
