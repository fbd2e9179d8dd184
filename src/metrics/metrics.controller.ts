import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { MetricsService } from './metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  // Scraped by Prometheus from inside the deployment; expose it only on a private network.
  @Get()
  @Endpoint({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    access: access.public(),
  })
  @ApiExcludeEndpoint(false)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
