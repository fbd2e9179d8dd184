import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError, pageRequestOf } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AuditLogQueryDto } from './dto/audit-log.query';
import {
  AuditEntryPageResponse,
  AuditVerifyResponse,
  toAuditEntryResponse,
} from './dto/audit-log.response';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/v1/admin/audit-logs')
export class AuditLogsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Endpoint({
    operationId: 'listAuditLogs',
    summary: 'Search the audit log',
    access: access.roles('support_manager'),
    problems: [422],
  })
  @ApiOkResponse({ type: AuditEntryPageResponse })
  async list(@Query() query: AuditLogQueryDto): Promise<AuditEntryPageResponse> {
    const page = await this.audit.list({
      actorId: query.actor_id,
      action: query.action,
      resourceType: query.resource_type,
      resourceId: query.resource_id,
      from: instant('from', query.from),
      to: instant('to', query.to),
      ...pageRequestOf(query),
    });
    return { ...page, items: page.items.map(toAuditEntryResponse) };
  }

  @Get('verify')
  @Endpoint({
    operationId: 'verifyAuditLogs',
    summary: 'Verify the HMAC chain of every audited resource',
    access: access.roles('admin'),
  })
  @ApiOkResponse({ type: AuditVerifyResponse })
  async verify(): Promise<AuditVerifyResponse> {
    const result = await this.audit.verify();
    if (result.valid) return { valid: true, checked: result.checked };
    return {
      valid: false,
      checked: result.checked,
      first_invalid_id: result.firstInvalidId,
      reason: result.reason,
      invalid_count: result.invalidCount,
      truncated_chains: result.truncatedChains,
    };
  }
}

/** A validated ISO 8601 string as a Date; a date-time JavaScript cannot represent is a 422. */
function instant(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw ValidationFailedError.forField(field, `${field} must be an ISO 8601 date-time`);
  }
  return date;
}
