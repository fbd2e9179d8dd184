import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@helpdesk/common';
import { Roles } from 'src/access/access.decorators';
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
@ApiBearerAuth()
@Controller('api/v1/admin/analytics')
@Roles('support_manager')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('summary')
  @ApiOkResponse({ type: AnalyticsSummaryResponse })
  @ApiProblems(401, 403, 422)
  async summary(@Query() query: AnalyticsWindowQueryDto): Promise<AnalyticsSummaryResponse> {
    return toSummaryResponse(await this.analytics.summary(dateOf(query.from), dateOf(query.to)));
  }

  @Get('trend')
  @ApiOkResponse({ type: AnalyticsTrendResponse })
  @ApiProblems(401, 403, 422)
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
