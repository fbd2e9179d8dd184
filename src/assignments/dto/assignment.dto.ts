import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { HasNoNul, PersonRef } from '@helpdesk/common';
import type { TicketAssignment } from '../ticket-assignment.entity';

export class AssignDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null unassigns' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assignee_id must be a UUID or null' })
  assignee_id: string | null;

  @ApiPropertyOptional({ example: 'Knows the billing system', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @HasNoNul()
  reason?: string;
}

export class AssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PersonRef, nullable: true }) from: PersonRef | null;
  @ApiProperty({ type: PersonRef, nullable: true }) to: PersonRef | null;
  @ApiProperty({ type: PersonRef }) by: PersonRef;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class AssignmentListResponse {
  @ApiProperty({ type: [AssignmentResponse] }) items: AssignmentResponse[];
}

export function toAssignmentResponse(entry: TicketAssignment): AssignmentResponse {
  const person = (
    id: string | null,
    user: { name: string } | null | undefined,
  ): PersonRef | null => (id ? { id, name: user?.name ?? 'Unknown' } : null);
  return {
    id: entry.id,
    from: person(entry.fromId, entry.from),
    to: person(entry.toId, entry.to),
    by: entry.byId
      ? { id: entry.byId, name: entry.by?.name ?? 'Unknown' }
      : { id: null, name: entry.byName ?? 'System' },
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}
