import { Injectable, Logger } from '@nestjs/common';
import { Clock, NotFoundError, SYSTEM_ACTOR, UnitOfWork } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { AutoCloseTicket } from 'src/ticket-workflow/auto-close-ticket';
import { TicketsService } from 'src/tickets/tickets.service';
import { SLA_SWEEP_BATCH_SIZE, SLA_SWEEP_CONCURRENCY } from './sla.constants';
import { SlaTrackingRepository, type SweepCursor } from './sla-tracking.repository';
import { TicketSlaTracker } from './ticket-sla.tracker';

const DAY_MS = 86_400_000;

/** What one sweep did. */
export interface SweepReport {
  /** Tickets whose next SLA moment had come and were looked at. */
  checked: number;
  /** Targets newly found missed / at risk among them. */
  breached: number;
  atRisk: number;
  /** Tickets closed after AUTO_CLOSE_DAYS resolved. */
  autoClosed: number;
  /** Tickets whose transaction failed; they are candidates again next run. */
  failed: number;
}

/**
 * One run of the SLA sweep (docs/sla.md). It reads candidates with indexed queries that touch
 * only tickets whose next SLA moment has come (or resolved tickets past AUTO_CLOSE_DAYS), then
 * settles each ticket in its own small unit of work as the system: marks, events, audit entries
 * and emails of one ticket commit together. A run that dies half-way leaves the settled tickets
 * settled and the rest candidates for the next run; a ticket is never marked twice, because each
 * mark is made under the ticket's row lock only when it is not there yet.
 */
@Injectable()
export class SlaSweepService {
  private readonly logger = new Logger(SlaSweepService.name);

  constructor(
    private readonly repository: SlaTrackingRepository,
    private readonly tracker: TicketSlaTracker,
    private readonly tickets: TicketsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly autoCloseTicket: AutoCloseTicket,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Runs the sweep unless one is already running somewhere; null when it was. */
  async run(): Promise<SweepReport | null> {
    const report = await this.repository.exclusively(() => this.sweep());
    if (report === null) this.logger.debug('another SLA sweep is running; skipped this tick');
    else if (report.checked + report.autoClosed + report.failed > 0) {
      this.logger.log({ report }, 'SLA sweep');
    }
    return report;
  }

  private async sweep(): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, breached: 0, atRisk: 0, autoClosed: 0, failed: 0 };
    const now = this.clock.now();
    await this.forEach(
      (cursor) => this.repository.findDueForCheck(now, cursor, SLA_SWEEP_BATCH_SIZE),
      async (id) => {
        const ticket = await this.tickets.lockForChange(SYSTEM_ACTOR, id);
        const result = await this.tracker.recheck(ticket);
        report.checked += 1;
        report.breached += result?.breached.length ?? 0;
        report.atRisk += result?.atRisk.length ?? 0;
      },
      report,
    );
    const cutoff = new Date(now.getTime() - this.config.autoCloseDays * DAY_MS);
    await this.forEach(
      (cursor) => this.repository.findResolvedBefore(cutoff, cursor, SLA_SWEEP_BATCH_SIZE),
      async (id) => {
        if (await this.autoClose(id, cutoff)) report.autoClosed += 1;
      },
      report,
    );
    return report;
  }

  /** A ticket still `resolved` since before `cutoff` closes (src/ticket-workflow/auto-close-ticket.ts). */
  private autoClose(id: string, cutoff: Date): Promise<boolean> {
    return this.autoCloseTicket.run(id, cutoff, this.config.autoCloseDays);
  }

  /**
   * Pages through candidates with a keyset cursor and runs `work` for each in a unit of work of
   * its own, SLA_SWEEP_CONCURRENCY at a time. A failure is logged and counted; the ticket stays a
   * candidate for the next run. (The cursor moves past it either way, so one broken ticket cannot
   * stall a run.)
   */
  private async forEach(
    page: (cursor: SweepCursor | null) => Promise<SweepCursor[]>,
    work: (id: string) => Promise<void>,
    report: SweepReport,
  ): Promise<void> {
    let cursor: SweepCursor | null = null;
    for (;;) {
      const batch = await page(cursor);
      const pending = [...batch];
      const settleNext = async (): Promise<void> => {
        for (let candidate = pending.shift(); candidate; candidate = pending.shift()) {
          try {
            await this.unitOfWork.run(() => work(candidate.id), { actor: SYSTEM_ACTOR });
          } catch (error) {
            if (error instanceof NotFoundError) continue; // deleted since it was selected
            report.failed += 1;
            this.logger.warn({ err: error, ticketId: candidate.id }, 'SLA sweep: ticket failed');
          }
        }
      };
      await Promise.all(Array.from({ length: SLA_SWEEP_CONCURRENCY }, settleNext));
      if (batch.length < SLA_SWEEP_BATCH_SIZE) return;
      cursor = batch[batch.length - 1];
    }
  }
}
