import { DomainEvent } from '@helpdesk/common';

/** A customer rated a ticket (or replaced their rating). The comment's length only, never its text. */
export class TicketRated extends DomainEvent {
  readonly type = 'ticket.rated';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    previousScore: number | null,
    readonly score: number,
    commentLength: number,
    source: string,
  ) {
    super();
    this.changes.score = [previousScore, score];
    Object.assign(this.details, { score, comment_length: commentLength, source });
  }
}
