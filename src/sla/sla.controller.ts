import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Roles } from 'src/access/access.decorators';
import {
  BusinessHoursResponse,
  toBusinessHoursResponse,
  UpdateBusinessHoursDto,
} from './dto/business-hours.dto';
import { SlaPolicyResponse, toSlaPolicyResponse, UpdateSlaPolicyDto } from './dto/sla-policy.dto';
import { SlaPriorityPipe } from './sla-priority.pipe';
import { SLA_PRIORITIES, type SlaPriority } from './sla-rules';
import { SlaService } from './sla.service';

/** SLA policies and business hours (API.md section 10): staff read, admins write. */
@ApiTags('sla')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class SlaController {
  constructor(private readonly sla: SlaService) {}

  @Get('sla-policies')
  @Roles('support')
  @ApiOkResponse({
    type: [SlaPolicyResponse],
    description: 'A bare array, one policy per priority, most urgent first.',
  })
  @ApiProblems(401, 403)
  async listPolicies(): Promise<SlaPolicyResponse[]> {
    return (await this.sla.listPolicies()).map(toSlaPolicyResponse);
  }

  @Put('sla-policies/:priority')
  @Roles('admin')
  @Audited('sla_policy.update')
  @ApiParam({ name: 'priority', enum: SLA_PRIORITIES })
  @ApiOkResponse({ type: SlaPolicyResponse })
  @ApiProblems(401, 403, 422)
  async updatePolicy(
    @Param('priority', SlaPriorityPipe) priority: SlaPriority,
    @Body() body: UpdateSlaPolicyDto,
  ): Promise<SlaPolicyResponse> {
    return toSlaPolicyResponse(
      await this.sla.updatePolicy(priority, {
        firstResponseMinutes: body.first_response_minutes,
        resolutionMinutes: body.resolution_minutes,
        businessHours: body.business_hours,
      }),
    );
  }

  @Get('business-hours')
  @Roles('support')
  @ApiOkResponse({ type: BusinessHoursResponse })
  @ApiProblems(401, 403)
  async getBusinessHours(): Promise<BusinessHoursResponse> {
    return toBusinessHoursResponse(await this.sla.getBusinessHours());
  }

  @Put('business-hours')
  @Roles('admin')
  @Audited('business_hours.update')
  @ApiOkResponse({ type: BusinessHoursResponse })
  @ApiProblems(401, 403, 422)
  async updateBusinessHours(@Body() body: UpdateBusinessHoursDto): Promise<BusinessHoursResponse> {
    return toBusinessHoursResponse(
      await this.sla.updateBusinessHours({
        timezone: body.timezone,
        weekly: body.weekly.map(({ day, start, end }) => ({ day, start, end })),
        holidays: body.holidays ?? [],
      }),
    );
  }
}
