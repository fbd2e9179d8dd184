import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { toTicketListFilter } from 'src/tickets/ticket-query.mapper';
import { TicketExportQueryDto } from './dto/ticket-export.query';
import { TicketExportService } from './ticket-export.service';

/**
 * `GET /admin/tickets/export`. A static path, so the router matches it before the
 * `GET /admin/tickets/:id` of the tickets controller whatever the registration order.
 */
@ApiTags('tickets (staff)')
@Controller('api/v1/admin/tickets/export')
export class TicketExportController {
  constructor(private readonly exports: TicketExportService) {}

  @Get()
  @Endpoint({
    operationId: 'exportTickets',
    summary: "Export tickets as CSV (the list's filters)",
    access: access.roles('admin'),
    problems: [422],
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'A header row, then one row per ticket (RFC 4180, CRLF); streamed',
    schema: { type: 'string' },
  })
  async export(
    @Query() query: TicketExportQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const filter = toTicketListFilter({ ...query, page: 1, limit: 1 }, actor);
    const file = await this.exports.exportCsv(actor, filter, recordedFilters(query));
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Export-Id', file.id);
    reply.header('X-Total-Count', String(file.rowCount));
    return new StreamableFile(file.csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }
}

/** The filters as the caller gave them (snake_case), for the audit record. */
function recordedFilters(query: TicketExportQueryDto): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}
