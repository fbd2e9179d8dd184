import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
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
@Controller('api/v1/admin')
export class SlaController {
  constructor(private readonly sla: SlaService) {}

  @Get('sla-policies')
  @Endpoint({
    operationId: 'listSlaPolicies',
    summary: 'The SLA policy of every priority',
    access: access.roles('support'),
  })
  @ApiOkResponse({
    type: [SlaPolicyResponse],
    description: 'A bare array, one policy per priority, most urgent first.',
  })
  async listPolicies(): Promise<SlaPolicyResponse[]> {
    return (await this.sla.listPolicies()).map(toSlaPolicyResponse);
  }

  @Put('sla-policies/:priority')
  @Endpoint({
    operationId: 'updateSlaPolicy',
    summary: 'Set the SLA policy of one priority',
    access: access.roles('admin'),
    audit: 'sla_policy.update',
    problems: [422],
  })
  @ApiParam({ name: 'priority', enum: SLA_PRIORITIES })
  @ApiOkResponse({ type: SlaPolicyResponse })
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
  @Endpoint({
    operationId: 'getBusinessHours',
    summary: 'The business-hours calendar',
    access: access.roles('support'),
  })
  @ApiOkResponse({ type: BusinessHoursResponse })
  async getBusinessHours(): Promise<BusinessHoursResponse> {
    return toBusinessHoursResponse(await this.sla.getBusinessHours());
  }

  @Put('business-hours')
  @Endpoint({
    operationId: 'updateBusinessHours',
    summary: 'Replace the business-hours calendar',
    access: access.roles('admin'),
    audit: 'business_hours.update',
    problems: [422],
  })
  @ApiOkResponse({ type: BusinessHoursResponse })
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
