import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';
import type { Ticket } from 'src/tickets/ticket.entity';
import { SLA_SWEEP_LOCK } from './sla.constants';

/** The SLA bookkeeping columns of a ticket, which this module alone writes. */
export type TicketSlaColumns = Pick<
  Ticket,
  | 'firstResponseDueAt'
  | 'firstResponseAtRiskAt'
  | 'firstResponseMetAt'
  | 'firstResponseBreachedAt'
  | 'firstResponseAtRiskNotifiedAt'
  | 'resolutionDueAt'
  | 'resolutionAtRiskAt'
  | 'resolutionBreachedAt'
  | 'resolutionAtRiskNotifiedAt'
  | 'slaPausedAt'
  | 'slaPausedCalendarMinutes'
  | 'slaPausedBusinessMinutes'
  | 'slaState'
  | 'slaNextCheckAt'
>;

const COLUMN_NAMES: Record<keyof TicketSlaColumns, string> = {
  firstResponseDueAt: 'first_response_due_at',
  firstResponseAtRiskAt: 'first_response_at_risk_at',
  firstResponseMetAt: 'first_response_met_at',
  firstResponseBreachedAt: 'first_response_breached_at',
  firstResponseAtRiskNotifiedAt: 'first_response_at_risk_notified_at',
  resolutionDueAt: 'resolution_due_at',
  resolutionAtRiskAt: 'resolution_at_risk_at',
  resolutionBreachedAt: 'resolution_breached_at',
  resolutionAtRiskNotifiedAt: 'resolution_at_risk_notified_at',
  slaPausedAt: 'sla_paused_at',
  slaPausedCalendarMinutes: 'sla_paused_calendar_minutes',
  slaPausedBusinessMinutes: 'sla_paused_business_minutes',
  slaState: 'sla_state',
  slaNextCheckAt: 'sla_next_check_at',
};
const COLUMNS = Object.entries(COLUMN_NAMES) as Array<[keyof TicketSlaColumns, string]>;
export const SLA_COLUMN_KEYS = COLUMNS.map(([key]) => key);
const UPDATE_SLA = `UPDATE ticket SET ${COLUMNS.map(([, column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`;

/** Where a batch query stopped: the sort value as PostgreSQL wrote it (full precision), and the id. */
export interface SweepCursor {
  at: string;
  id: string;
}

/**
 * SQL over the SLA columns of `ticket`: the writes of the SLA bookkeeping and the sweep's
 * candidate queries (docs/sla.md has their plans on a million tickets). The rest of a ticket
 * belongs to the tickets module and is changed through TicketsService.
 */
@Injectable()
export class SlaTrackingRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Stores a ticket's SLA columns. A plain UPDATE on purpose: SLA bookkeeping is not an edit of
   * the ticket, so it leaves `version` (If-Match) and `updated_at` alone.
   */
  async saveSla(ticketId: string, columns: TicketSlaColumns): Promise<void> {
    await this.txHost.tx.query(UPDATE_SLA, [ticketId, ...COLUMNS.map(([key]) => columns[key])]);
  }

  /**
   * Live tickets whose next SLA moment (an at-risk instant, a due time) has come, in that order,
   * after `cursor`: a range scan of ticket_sla_next_check_at_idx, which holds only tickets with a
   * target still running.
   */
  findDueForCheck(now: Date, cursor: SweepCursor | null, limit: number): Promise<SweepCursor[]> {
    return this.page(
      `SELECT id, sla_next_check_at::text AS at FROM ticket
       WHERE deleted_at IS NULL AND sla_next_check_at IS NOT NULL AND sla_next_check_at <= $1`,
      'sla_next_check_at',
      now,
      cursor,
      limit,
    );
  }

  /** Live tickets `resolved` before `cutoff`, oldest first, after `cursor` (ticket_resolved_auto_close_idx). */
  findResolvedBefore(
    cutoff: Date,
    cursor: SweepCursor | null,
    limit: number,
  ): Promise<SweepCursor[]> {
    return this.page(
      `SELECT id, resolved_at::text AS at FROM ticket
       WHERE deleted_at IS NULL AND status = 'resolved' AND resolved_at < $1`,
      'resolved_at',
      cutoff,
      cursor,
      limit,
    );
  }

  /** One keyset page of `select` ordered by (`column`, id). */
  private page(
    select: string,
    column: string,
    bound: Date,
    cursor: SweepCursor | null,
    limit: number,
  ): Promise<SweepCursor[]> {
    const after = cursor ? `AND (${column}, id) > ($3::timestamptz, $4::uuid)` : '';
    return this.txHost.tx.query(
      `${select} ${after} ORDER BY ${column}, id LIMIT $2`,
      cursor ? [bound, limit, cursor.at, cursor.id] : [bound, limit],
    );
  }

  /**
   * Runs `work` unless another sweep (in any process) is running: a session-level advisory lock
   * held on a connection of its own for the length of the run, released by PostgreSQL should the
   * process die. Answers null when the lock is taken.
   */
  async exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [SLA_SWEEP_LOCK],
      )) as Array<{ locked: boolean }>;
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [SLA_SWEEP_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
