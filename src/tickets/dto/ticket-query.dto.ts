import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { HasNoNul, PageQueryDto } from '@helpdesk/common';
import {
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  type TicketChannel,
  type TicketPriority,
} from '../ticket-enums';
import { SORTABLE_FIELDS } from '../ticket-list.query';
import { TICKET_STATUSES, type TicketStatus } from '../ticket-status';

const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

const SORT_PATTERN = new RegExp(`^-?(${SORTABLE_FIELDS.join('|')})$`);

/** `GET /api/v1/admin/tickets` filters and sort (API.md section 6). */
export class TicketQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Full text over subject, messages and requester; a number also matches that ticket',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  q?: string;

  @ApiPropertyOptional({ description: 'Comma list', example: 'open,in_progress' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(TICKET_STATUSES, {
    each: true,
    message: `status must be a comma list of: ${TICKET_STATUSES.join(', ')}`,
  })
  status?: TicketStatus[];

  @ApiPropertyOptional({ description: 'Comma list', example: 'high,urgent' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(TICKET_PRIORITIES, {
    each: true,
    message: `priority must be a comma list of: ${TICKET_PRIORITIES.join(', ')}`,
  })
  priority?: TicketPriority[];

  @ApiPropertyOptional({ example: 'billing' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @HasNoNul()
  category?: string;

  @ApiPropertyOptional({ example: 'vip' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @HasNoNul()
  tag?: string;

  @ApiPropertyOptional({ enum: TICKET_CHANNELS })
  @IsOptional()
  @IsIn(TICKET_CHANNELS)
  channel?: TicketChannel;

  @ApiPropertyOptional({ description: 'A user id, `me` or `none`', example: 'me' })
  @IsOptional()
  @Matches(
    /^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
    {
      message: 'assignee_id must be a UUID, me or none',
    },
  )
  assignee_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'requester_id must be a UUID' })
  requester_id?: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'requester_email must be an email address' })
  @MaxLength(254)
  requester_email?: string;

  @ApiPropertyOptional({ enum: ['breached', 'at_risk', 'ok'] })
  @IsOptional()
  @IsIn(['breached', 'at_risk', 'ok'])
  sla?: 'breached' | 'at_risk' | 'ok';

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'created_from must be an ISO 8601 date-time' })
  created_from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'created_to must be an ISO 8601 date-time' })
  created_to?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updated_from must be an ISO 8601 date-time' })
  updated_from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updated_to must be an ISO 8601 date-time' })
  updated_to?: string;

  @ApiPropertyOptional({
    description: `One of ${SORTABLE_FIELDS.join(', ')}; prefix with - for descending. relevance needs q.`,
    default: '-created_at',
    example: '-created_at',
  })
  @IsOptional()
  @Matches(SORT_PATTERN, {
    message: `sort must be one of ${SORTABLE_FIELDS.join(', ')}, optionally prefixed with -`,
  })
  sort?: string;
}

/** `GET /api/v1/portal/tickets` (API.md section 5). */
export class PortalTicketQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Comma list', example: 'open,waiting_customer' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(TICKET_STATUSES, {
    each: true,
    message: `status must be a comma list of: ${TICKET_STATUSES.join(', ')}`,
  })
  status?: TicketStatus[];
}

/** `GET /api/v1/admin/tickets/by-number/{number}`. */
export class TicketNumberParams {
  @ApiProperty({ minimum: 1, maximum: 2_147_483_647, example: 42 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  number: number;
}
