import { OmitType } from '@nestjs/swagger';
import { TicketQueryDto } from 'src/tickets/dto';

/** `GET /admin/tickets/export`: the staff list's filters and sort, without paging. */
export class TicketExportQueryDto extends OmitType(TicketQueryDto, ['page', 'limit'] as const) {}
