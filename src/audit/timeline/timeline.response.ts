import { ApiProperty } from '@nestjs/swagger';
import { AuditEntryResponse } from '../dto/audit-log.response';

/** `GET /admin/tickets/{id}/timeline` (API.md section 6). */
export class TimelineResponse {
  @ApiProperty({
    example:
      'Opened by Ada Lovelace via web on 2026-11-21 09:30 UTC; assigned to Grace Hopper; replied 2 times; resolved on 2026-11-21 11:00 UTC.',
  })
  summary: string;

  @ApiProperty({
    type: [AuditEntryResponse],
    description: 'The ticket’s audit entries, oldest first',
  })
  events: AuditEntryResponse[];
}
