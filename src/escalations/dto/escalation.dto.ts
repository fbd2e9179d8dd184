import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { HasNoNul, trimString } from '@helpdesk/common';
import type { Ticket } from 'src/tickets/ticket.entity';

/** Body of `POST /admin/tickets/{id}/escalate` (API.md section 6). */
export class EscalateTicketDto {
  @ApiProperty({
    example: 'Customer is a key account and has been waiting three days.',
    minLength: 1,
    maxLength: 2000,
  })
  @Transform(trimString)
  @IsString()
  @Length(1, 2000)
  @HasNoNul()
  reason: string;

  @ApiPropertyOptional({
    example: 'account-manager@example.com',
    maxLength: 254,
    description: 'Also notified, besides the support_managers',
  })
  @IsOptional()
  @Transform(trimString)
  @IsEmail({}, { message: 'notify_email must be an email address' })
  @MaxLength(254)
  notify_email?: string;
}

/** The `escalation` section of the staff detail view. */
export class EscalationResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Customer is a key account and has been waiting three days.',
  })
  reason: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) escalated_at: string | null;
}

export function toEscalationResponse(ticket: Ticket): EscalationResponse | null {
  if (!ticket.escalated) return null;
  return {
    reason: ticket.escalationReason,
    escalated_at: ticket.escalatedAt?.toISOString() ?? null,
  };
}
