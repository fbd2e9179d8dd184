import { DomainEvent, type FieldChanges } from '@helpdesk/common';

/** Webhook administration, recorded for the audit log. Never carries the signing secret. */
export abstract class WebhookEvent extends DomainEvent {
  readonly resourceType = 'webhook';
  /** After commit, look for deliveries to make (re-activated webhook, requeued delivery). */
  readonly wakesDelivery: boolean = false;

  constructor(readonly resourceId: string) {
    super();
  }
}

/** A URL for the log: query strings often hold credentials, so only their presence is kept. */
export function loggableUrl(url: string | null): string | null {
  if (url === null) return null;
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? url : `${url.slice(0, queryAt)}?…`;
}

export class WebhookCreated extends WebhookEvent {
  readonly type = 'webhook.created';

  constructor(webhookId: string, webhook: { url: string; events: string[] }) {
    super(webhookId);
    Object.assign(this.changes, {
      url: [null, loggableUrl(webhook.url)],
      events: [null, webhook.events],
      active: [null, true],
    });
  }
}

export class WebhookUpdated extends WebhookEvent {
  readonly type = 'webhook.updated';
  override readonly wakesDelivery: boolean;

  constructor(webhookId: string, changes: FieldChanges) {
    super(webhookId);
    Object.assign(this.changes, changes);
    if (changes.url) {
      this.changes.url = [
        loggableUrl(changes.url[0] as string),
        loggableUrl(changes.url[1] as string),
      ];
    }
    this.wakesDelivery = changes.active?.[1] === true;
  }
}

export class WebhookDeleted extends WebhookEvent {
  readonly type = 'webhook.deleted';
}

/** An admin asked for a delivery to be made again. */
export class WebhookDeliveryRequeued extends WebhookEvent {
  readonly type = 'webhook.delivery_requeued';
  override readonly wakesDelivery = true;

  constructor(webhookId: string, deliveryId: string, eventId: string) {
    super(webhookId);
    Object.assign(this.details, { delivery_id: deliveryId, event_id: eventId });
  }
}
