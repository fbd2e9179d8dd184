import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AnalyticsService } from './analytics.service';
import {
  AnalyticsSummaryResponse,
  AnalyticsTrendQueryDto,
  AnalyticsTrendResponse,
  AnalyticsWindowQueryDto,
  toSummaryResponse,
  toTrendResponse,
} from './dto/analytics.dto';

const dateOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

@ApiTags('analytics')
@Controller('api/v1/admin/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('summary')
  @Endpoint({
    operationId: 'getAnalyticsSummary',
    summary: 'Ticket volume, response and resolution times, CSAT over a period',
    access: access.roles('support_manager'),
    problems: [422],
  })
  @ApiOkResponse({ type: AnalyticsSummaryResponse })
  async summary(@Query() query: AnalyticsWindowQueryDto): Promise<AnalyticsSummaryResponse> {
    return toSummaryResponse(await this.analytics.summary(dateOf(query.from), dateOf(query.to)));
  }

  @Get('trend')
  @Endpoint({
    operationId: 'getAnalyticsTrend',
    summary: 'The summary figures as a series per day or week',
    access: access.roles('support_manager'),
    problems: [422],
  })
  @ApiOkResponse({ type: AnalyticsTrendResponse })
  async trend(@Query() query: AnalyticsTrendQueryDto): Promise<AnalyticsTrendResponse> {
    return toTrendResponse(
      await this.analytics.trend(
        query.interval,
        query.metric,
        dateOf(query.from),
        dateOf(query.to),
      ),
    );
  }
}
