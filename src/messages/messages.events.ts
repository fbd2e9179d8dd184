import { DomainEvent } from '@helpdesk/common';

/** An agent's customer-visible reply. Carries the message id and length, never the body. */
export class TicketReplied extends DomainEvent {
  readonly type = 'ticket.replied';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly messageId: string,
    bodyLength: number,
    firstResponse: boolean,
  ) {
    super();
    Object.assign(this.details, {
      message_id: messageId,
      body_length: bodyLength,
      first_response: firstResponse,
    });
  }
}

export class TicketCustomerReplied extends DomainEvent {
  readonly type = 'ticket.customer_replied';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly messageId: string,
    bodyLength: number,
  ) {
    super();
    Object.assign(this.details, { message_id: messageId, body_length: bodyLength });
  }
}
