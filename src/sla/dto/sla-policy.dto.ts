import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import type { SlaPolicy } from '../sla-policy.entity';
import { MAX_TARGET_MINUTES, SLA_PRIORITIES, type SlaPriority } from '../sla-rules';

export class UpdateSlaPolicyDto {
  @ApiProperty({
    example: 60,
    minimum: 1,
    maximum: MAX_TARGET_MINUTES,
    description: 'Minutes to the first agent reply. Must not exceed resolution_minutes.',
  })
  @IsInt({ message: 'first_response_minutes must be a whole number of minutes' })
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  first_response_minutes: number;

  @ApiProperty({ example: 240, minimum: 1, maximum: MAX_TARGET_MINUTES })
  @IsInt({ message: 'resolution_minutes must be a whole number of minutes' })
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  resolution_minutes: number;

  @ApiProperty({
    example: false,
    description: 'true: minutes count only inside business hours; false: around the clock.',
  })
  @IsBoolean()
  business_hours: boolean;
}

/** One policy of `GET /admin/sla-policies` (API.md section 10). */
export class SlaPolicyResponse {
  @ApiProperty({ enum: SLA_PRIORITIES, example: 'urgent' })
  priority: SlaPriority;

  @ApiProperty({ example: 60 })
  first_response_minutes: number;

  @ApiProperty({ example: 240 })
  resolution_minutes: number;

  @ApiProperty({ example: false })
  business_hours: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-21T09:30:00.000Z',
  })
  updated_at: string | null;
}

export function toSlaPolicyResponse(policy: SlaPolicy): SlaPolicyResponse {
  return {
    priority: policy.priority,
    first_response_minutes: policy.firstResponseMinutes,
    resolution_minutes: policy.resolutionMinutes,
    business_hours: policy.businessHours,
    updated_at: policy.updatedAt?.toISOString() ?? null,
  };
}
