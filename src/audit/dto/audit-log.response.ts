import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTIONS } from '../audit-actions';
import type { AuditActorType } from '../audit-chain';
import type { AuditLogEntry } from '../audit-log-entry.entity';

const AUDIT_ACTOR_TYPES: AuditActorType[] = ['user', 'api_key', 'system'];

export class AuditActorResponse {
  @ApiProperty({ enum: AUDIT_ACTOR_TYPES, example: 'user' })
  type: AuditActorType;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'User or API key id; null for the system and for anonymous callers',
    example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11',
  })
  id: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'support_manager' })
  role: string | null;
}

/** One audit entry (API.md section 8). */
export class AuditEntryResponse {
  @ApiProperty({ format: 'uuid', example: '019a5d2c-4e1f-7a3b-8c2d-1e0f9a8b7c6d' })
  id: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' })
  occurred_at: string;

  @ApiProperty({ type: AuditActorResponse })
  actor: AuditActorResponse;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'ticket.status.update' })
  action: string;

  @ApiProperty({ example: 'ticket' })
  resource_type: string;

  @ApiProperty({ type: String, nullable: true, example: '019a4f70-1b2c-7d3e-8f4a-5b6c7d8e9f00' })
  resource_id: string | null;

  @ApiProperty({ type: String, nullable: true, example: '019a5d2c-4e1f-7a3b-8c2d-000000000001' })
  request_id: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  user_agent: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '`{field: [old, new]}` for the fields that changed; secrets show as "***"',
    example: { status: ['open', 'resolved'] },
  })
  changes: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Extra facts (lengths, reasons, related ids); never bodies or secrets',
    example: { cause: 'status_change', resolution_notes_length: 42 },
  })
  details: Record<string, unknown>;

  @ApiProperty({
    description: 'HMAC-SHA256 (hex) over the entry and the previous entry for the same resource',
    example: '5d41402abc4b2a76b9719d911017c592ae5d41402abc4b2a76b9719d911017c5',
  })
  hash: string;
}

export function toAuditEntryResponse(entry: AuditLogEntry): AuditEntryResponse {
  return {
    id: entry.id,
    occurred_at: entry.occurredAt.toISOString(),
    actor: { type: entry.actorType, id: entry.actorId, role: entry.actorRole },
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    request_id: entry.requestId,
    ip: entry.ip,
    user_agent: entry.userAgent,
    changes: entry.changes,
    details: entry.details,
    hash: entry.hash,
  };
}

export class AuditEntryPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] })
  items: AuditEntryResponse[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 1 }) total_pages: number;
}

export class AuditVerifyResponse {
  @ApiProperty({ example: true })
  valid: boolean;

  @ApiProperty({ description: 'Entries checked', example: 1284 })
  checked: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'When invalid: the earliest entry that fails verification',
    example: '019a5d2c-4e1f-7a3b-8c2d-1e0f9a8b7c6d',
  })
  first_invalid_id?: string;

  @ApiPropertyOptional({
    enum: [
      'unknown_key',
      'hash_mismatch',
      'broken_link',
      'sequence_gap',
      'wrong_chain',
      'truncated_tail',
    ],
    description: 'When invalid: why that entry fails',
    example: 'hash_mismatch',
  })
  reason?: string;

  @ApiPropertyOptional({
    description: 'When invalid: how many entries fail (a truncated chain counts once)',
    example: 1,
  })
  invalid_count?: number;

  @ApiPropertyOptional({
    type: [String],
    description:
      'When invalid: chains (`<resource_type>:<resource_id>`) whose last entries were removed — their anchored position is missing (at most 100)',
    example: ['ticket:019a4f70-1b2c-7d3e-8f4a-5b6c7d8e9f00'],
  })
  truncated_chains?: string[];
}
