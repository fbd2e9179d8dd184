import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { HasNoNul, IsFlatObject, IsOptionalNotNull, trimString } from '@helpdesk/common';
import {
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  type TicketChannel,
  type TicketPriority,
} from '../ticket-enums';
import { TICKET_STATUSES, type TicketStatus } from '../ticket-status';
import type { CustomFields } from '../ticket.entity';
import { IsTagList } from './tag-list';

const CUSTOM_FIELD_LIMITS = { maxKeys: 50, maxKeyLength: 100, maxStringLength: 2000 };

/** Body of the public intake, `POST /api/v1/tickets` (API.md section 5). */
export class CreatePublicTicketDto {
  @ApiPropertyOptional({
    example: 'Ada Lovelace',
    maxLength: 200,
    description: 'Required unless a customer token is used',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  name?: string;

  @ApiPropertyOptional({
    example: 'ada@example.com',
    maxLength: 254,
    description: 'Required unless a customer token is used',
  })
  @IsOptional()
  @Transform(trimString)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+44 20 7946 0000', maxLength: 50 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 50)
  @HasNoNul()
  phone_number?: string;

  @ApiPropertyOptional({
    example: 'Cannot sign in to the app',
    minLength: 1,
    maxLength: 200,
    description: "Defaults to the message's first line (trimmed, at most 200 characters)",
  })
  @IsOptionalNotNull()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  subject?: string;

  @ApiProperty({
    example: 'Since this morning the app says my password is wrong.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  message: string;

  @ApiPropertyOptional({ example: 'account', maxLength: 100 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  @HasNoNul()
  category?: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { order_id: 'A-1001' },
    description: 'Flat object',
  })
  @IsOptional()
  @IsFlatObject(CUSTOM_FIELD_LIMITS)
  custom_fields?: CustomFields;

  @ApiPropertyOptional({
    maxLength: 200,
    // No example: the documented example is an anonymous intake, which must succeed as is.
    description: 'API keys only: the host product’s user id, e.g. shop-user-42',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  external_user_id?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    // No example: the documented example is an anonymous intake, which must succeed as is.
    description:
      "API keys only: the customer's organization (fills in one not yet set), e.g. Acme Ltd",
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  organization?: string;
}

/** Body of `POST /api/v1/admin/tickets` (API.md section 6). */
export class CreateStaffTicketDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(trimString)
  @IsEmail({}, { message: 'requester_email must be an email address' })
  @MaxLength(254)
  requester_email: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  requester_name?: string;

  @ApiProperty({ example: 'Called about a double charge', minLength: 1, maxLength: 200 })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  subject: string;

  @ApiProperty({
    example: 'Customer was charged twice for order A-1001.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  message: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ example: 'billing', maxLength: 100 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  @HasNoNul()
  category?: string;

  @ApiPropertyOptional({ type: [String], example: ['refund', 'vip'], maxItems: 20 })
  @IsOptional()
  @IsTagList()
  tags?: string[];

  @ApiPropertyOptional({ enum: TICKET_CHANNELS, default: 'phone' })
  @IsOptional()
  @IsIn(TICKET_CHANNELS)
  channel?: TicketChannel;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assignee_id must be a UUID' })
  assignee_id?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { order_id: 'A-1001' },
  })
  @IsOptional()
  @IsFlatObject(CUSTOM_FIELD_LIMITS)
  custom_fields?: CustomFields;
}

/** Body of `PATCH /api/v1/admin/tickets/{id}`. */
export class UpdateTicketDto {
  @ApiPropertyOptional({ example: 'Double charge on order A-1001', minLength: 1, maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  @HasNoNul()
  subject?: string;

  @ApiPropertyOptional({ example: 'billing', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  @HasNoNul()
  category?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['refund'], maxItems: 20 })
  @IsOptionalNotNull()
  @IsTagList()
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { order_id: 'A-1001' },
  })
  @IsOptionalNotNull()
  @IsFlatObject(CUSTOM_FIELD_LIMITS)
  custom_fields?: CustomFields;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, description: 'Needs support_manager' })
  @IsOptionalNotNull()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;
}

/** Body of `PATCH /api/v1/admin/tickets/{id}/status`. */
export class ChangeStatusDto {
  @ApiProperty({ enum: TICKET_STATUSES, example: 'resolved' })
  @IsIn(TICKET_STATUSES)
  status: TicketStatus;

  @ApiPropertyOptional({
    example: 'We refunded the second charge.',
    maxLength: 10000,
    description: 'Required when moving to resolved',
  })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  resolution_notes?: string;
}
