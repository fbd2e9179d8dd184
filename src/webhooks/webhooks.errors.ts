import { NotFoundError } from '@helpdesk/common';

export class WebhookNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No webhook ${id}.`);
  }
}

export class DeliveryNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No delivery ${id} for this webhook.`);
  }
}
