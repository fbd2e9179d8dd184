import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  applyTicketFilters,
  applyTicketSort,
  type TicketListFilter,
} from 'src/tickets/ticket-list.query';
import { Ticket } from 'src/tickets/ticket.entity';
import { SqlCursorStream } from './sql-cursor-stream';
import type { TicketExportRow } from './ticket-csv';

const CURSOR = 'ticket_export';
const BATCH_SIZE = 1000;

export interface TicketExportCursor {
  /** Rows the cursor will yield (counted in the cursor's own snapshot, so exactly these). */
  rowCount: number;
  /** Must be consumed or destroyed: it holds a database connection until it ends. */
  rows: SqlCursorStream<TicketExportRow>;
}

/**
 * The export's SQL: the staff list's filters and sort over a server-side cursor, on a connection
 * of its own (a GET has no unit of work, and the stream outlives the handler).
 */
@Injectable()
export class TicketExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async open(filter: TicketListFilter): Promise<TicketExportCursor> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One snapshot for the count and every row; read only. FETCHes are short statements, so
      // the pool's statement_timeout still applies to each; a reader may pause up to 5 min.
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(`SET LOCAL idle_in_transaction_session_timeout = '5min'`);
      const rowCount = await applyTicketFilters(
        this.dataSource.getRepository(Ticket).createQueryBuilder('t', runner),
        filter,
      ).getCount();
      const [sql, parameters] = this.rowsQuery(runner, filter).getQueryAndParameters();
      await runner.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`, parameters);
      return { rowCount, rows: new SqlCursorStream<TicketExportRow>(runner, CURSOR, BATCH_SIZE) };
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  private rowsQuery(runner: QueryRunner, filter: TicketListFilter) {
    const query = applyTicketFilters(
      this.dataSource.getRepository(Ticket).createQueryBuilder('t', runner),
      filter,
    )
      .leftJoin('t.requester', 'requester')
      .leftJoin('t.assignee', 'assignee')
      .leftJoin('ticket_rating', 'rating', 'rating.ticket_id = t.id')
      .select('t.number', 'number') // int8 arrives as a string: no precision lost
      .addSelect('t.id', 'id')
      .addSelect('t.subject', 'subject')
      .addSelect('t.status', 'status')
      .addSelect('t.priority', 'priority')
      .addSelect('t.category', 'category')
      .addSelect('t.channel', 'channel')
      .addSelect('t.tags', 'tags')
      .addSelect('requester.name', 'requester_name')
      .addSelect('requester.email', 'requester_email')
      .addSelect('requester.organization', 'requester_organization')
      .addSelect('assignee.name', 'assignee_name')
      .addSelect('assignee.email', 'assignee_email')
      .addSelect('t.escalated', 'escalated')
      .addSelect('rating.score', 'csat_score')
      .addSelect('t.custom_fields', 'custom_fields')
      .addSelect('t.resolution_notes', 'resolution_notes')
      .addSelect('t.created_at', 'created_at')
      .addSelect('t.updated_at', 'updated_at')
      .addSelect('t.first_responded_at', 'first_responded_at')
      .addSelect('t.resolved_at', 'resolved_at')
      .addSelect('t.closed_at', 'closed_at')
      .addSelect('t.first_response_due_at', 'first_response_due_at')
      .addSelect('t.first_response_at_risk_at', 'first_response_at_risk_at')
      .addSelect('t.first_response_breached_at', 'first_response_breached_at')
      .addSelect('t.resolution_due_at', 'resolution_due_at')
      .addSelect('t.resolution_at_risk_at', 'resolution_at_risk_at')
      .addSelect('t.resolution_breached_at', 'resolution_breached_at')
      .addSelect('t.sla_paused_at', 'sla_paused_at')
      .addSelect('t.sla_state', 'sla_state');
    return applyTicketSort(query, filter);
  }
}
