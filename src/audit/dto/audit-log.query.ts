import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '@helpdesk/common';
import { AUDIT_ACTIONS } from '../audit-actions';

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The user or API key that acted',
    example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11',
  })
  @IsOptional()
  @IsUUID('all', { message: 'actor_id must be a UUID' })
  actor_id?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, example: 'ticket.status.update' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: 'action must be a known audit action' })
  action?: string;

  @ApiPropertyOptional({ example: 'ticket', maxLength: 64 })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'resource_type must be a snake_case name' })
  resource_type?: string;

  @ApiPropertyOptional({ example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  resource_id?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries at or after this instant',
    example: '2026-11-01T00:00:00.000Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries at or before this instant',
    example: '2026-11-21T23:59:59.999Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}
