import { ConflictError } from '@helpdesk/common';

export class InvalidStatusTransitionError extends ConflictError {
  override readonly code = 'INVALID_STATUS_TRANSITION';
  override readonly title = 'Invalid status transition';
}

export class TicketClosedError extends ConflictError {
  override readonly code = 'TICKET_CLOSED';
  override readonly title = 'Ticket closed';
}
