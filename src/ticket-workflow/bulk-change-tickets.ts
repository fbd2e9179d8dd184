import { Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  ForbiddenError,
  toProblem,
  UnitOfWork,
  ValidationFailedError,
  type Actor,
} from '@helpdesk/common';
import type { BulkFailure, BulkRequest, BulkResult } from 'src/bulk/bulk-actions';
import { MAX_TAGS_PER_TICKET } from 'src/tickets/dto';
import { mayDeleteTickets } from 'src/tickets/ticket-policy';
import { TicketsService } from 'src/tickets/tickets.service';
import { AssignTicket } from './assign-ticket';
import { ChangeTicketStatus } from './change-ticket-status';
import { DeleteTicket } from './delete-ticket';
import { EditTicket } from './edit-ticket';
import { EscalateTicket } from './escalate-ticket';

/**
 * Bulk actions (API.md section 6): every ticket goes through the same use case as the
 * single-ticket route — same rules, same domain events, so the same audit entries and emails —
 * each in its own unit of work, so one ticket's failure never rolls back another's change.
 */
@Injectable()
export class BulkChangeTickets {
  private readonly logger = new Logger(BulkChangeTickets.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly tickets: TicketsService,
    private readonly changeStatus: ChangeTicketStatus,
    private readonly assignTicket: AssignTicket,
    private readonly editTicket: EditTicket,
    private readonly escalateTicket: EscalateTicket,
    private readonly deleteTicket: DeleteTicket,
  ) {}

  async run(actor: Actor, request: BulkRequest): Promise<BulkResult> {
    // A change the role may never make fails the whole call, not each ticket.
    if (request.action === 'delete' && !mayDeleteTickets(actor)) {
      throw new ForbiddenError('Deleting tickets needs admin.');
    }
    const applyTo = this.operationFor(actor, request);
    const succeeded: string[] = [];
    const failed: BulkFailure[] = [];
    // One after another: tickets are locked in request order, so two bulk calls over the same
    // tickets queue behind each other instead of deadlocking.
    for (const id of request.ticketIds) {
      try {
        await this.unitOfWork.run(() => applyTo(id), { actor });
        succeeded.push(id);
      } catch (error) {
        failed.push(this.failureOf(id, error));
      }
    }
    return { succeeded, failed };
  }

  private operationFor(actor: Actor, request: BulkRequest): (id: string) => Promise<unknown> {
    switch (request.action) {
      case 'status':
        return (id) =>
          this.changeStatus.run(actor, id, request.status, {
            resolutionNotes: request.resolutionNotes,
            cause: 'bulk',
          });
      case 'assign':
        return (id) => this.assignTicket.run(actor, id, request.assigneeId, null);
      case 'priority':
        return (id) => this.editTicket.run(actor, id, { priority: request.priority });
      case 'add_tags':
        return (id) =>
          this.changeTags(actor, id, (tags) => [...new Set([...tags, ...request.tags])]);
      case 'remove_tags':
        return (id) =>
          this.changeTags(actor, id, (tags) => tags.filter((tag) => !request.tags.includes(tag)));
      case 'escalate':
        return (id) =>
          this.escalateTicket.run(actor, id, {
            reason: request.reason,
            notifyEmail: request.notifyEmail,
          });
      case 'delete':
        return (id) => this.deleteTicket.run(actor, id);
    }
  }

  /** Tags are read under the ticket's lock, so a concurrent edit is never lost. */
  private async changeTags(
    actor: Actor,
    id: string,
    change: (tags: string[]) => string[],
  ): Promise<unknown> {
    const ticket = await this.tickets.lockForChange(actor, id);
    const tags = change(ticket.tags);
    if (tags.length > MAX_TAGS_PER_TICKET) {
      throw ValidationFailedError.forField(
        'tags',
        `a ticket holds at most ${MAX_TAGS_PER_TICKET} tags; this one would hold ${tags.length}`,
      );
    }
    return this.editTicket.apply(actor, ticket, { tags });
  }

  private failureOf(id: string, error: unknown): BulkFailure {
    if (error instanceof AppError) return { id, code: error.code, message: error.message };
    const { problem, unexpected } = toProblem(error);
    if (unexpected) this.logger.error({ err: error, ticketId: id }, 'bulk action failed');
    return { id, code: problem.code, message: problem.detail ?? problem.title };
  }
}
