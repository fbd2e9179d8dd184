import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { DomainEvents, UnitOfWork, uuidv7, type Actor } from '@helpdesk/common';
import type { TicketListFilter } from 'src/tickets/ticket-list.query';
import { csvRecords, csvStringifier } from './ticket-csv';
import { TicketsExported } from './ticket-export.events';
import { TicketExportRepository } from './ticket-export.repository';

export interface TicketExport {
  id: string;
  fileName: string;
  rowCount: number;
  /** The CSV bytes, produced as the client reads them. */
  csv: Readable;
}

@Injectable()
export class TicketExportService {
  private readonly logger = new Logger(TicketExportService.name);

  constructor(
    private readonly exports: TicketExportRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Tickets matching the staff list's filters as CSV (API.md section 6), streamed from a database
   * cursor through csv-stringify: memory stays flat whatever the row count.
   */
  async exportCsv(
    actor: Actor,
    filter: TicketListFilter,
    filters: Record<string, unknown>,
    now: Date = new Date(),
  ): Promise<TicketExport> {
    const cursor = await this.exports.open(filter);
    const id = uuidv7();
    try {
      // A GET runs outside any unit of work (only mutating routes get one), so the export's
      // audit record gets its own here: it commits before the first row leaves, and when it
      // cannot be recorded nothing is exported.
      await this.unitOfWork.run(
        async () => this.domainEvents.record(new TicketsExported(id, filters, cursor.rowCount)),
        { actor },
      );
    } catch (error) {
      cursor.rows.destroy();
      throw error;
    }
    const csv = pipeline(cursor.rows, csvRecords(), csvStringifier(), (error) => {
      if (!error) return;
      if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.warn({ exportId: id }, 'ticket export stopped: the client went away');
      } else {
        this.logger.error({ err: error, exportId: id }, 'ticket export failed mid-stream');
      }
    });
    return {
      id,
      fileName: `tickets-${now.toISOString().slice(0, 10)}.csv`,
      rowCount: cursor.rowCount,
      csv,
    };
  }
}
