import { Injectable } from '@nestjs/common';
import {
  DomainEvents,
  pageOf,
  ValidationFailedError,
  type FieldChanges,
  type Page,
} from '@helpdesk/common';
import { isFeedEventType } from 'src/events/feed-event-types';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import type { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookSecrets } from './webhook-secrets';
import { newWebhookSecret } from './webhook-signature';
import { WebhookTargetError, WebhookTargetPolicy } from './webhook-target-policy';
import { Webhook } from './webhook.entity';
import { DeliveryNotFoundError, WebhookNotFoundError } from './webhooks.errors';
import {
  WebhookCreated,
  WebhookDeleted,
  WebhookDeliveryRequeued,
  WebhookUpdated,
} from './webhooks.events';
import { WebhooksRepository, type WebhookChanges } from './webhooks.repository';

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string | null;
}

export interface WebhookUpdate {
  url?: string;
  events?: string[];
  description?: string | null;
  active?: boolean;
}

/** Webhook administration (API.md section 11a). Deliveries are planned by the dispatcher. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: WebhookSecrets,
    private readonly targets: WebhookTargetPolicy,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** Creates a webhook; its secret is returned this once and stored encrypted. */
  async create(input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const events = normaliseEvents(input.events);
    await this.assertTarget(input.url);
    const secret = newWebhookSecret();
    const draft = new Webhook();
    draft.url = input.url;
    draft.events = events;
    draft.description = input.description ?? null;
    draft.active = true;
    draft.secretCiphertext = this.secrets.seal(secret, draft.id);
    const webhook = await this.webhooks.insert(draft);
    this.domainEvents.record(new WebhookCreated(webhook.id, webhook));
    return { webhook, secret };
  }

  list(): Promise<Webhook[]> {
    return this.webhooks.list();
  }

  async get(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw new WebhookNotFoundError(id);
    return webhook;
  }

  async update(id: string, update: WebhookUpdate): Promise<Webhook> {
    const webhook = await this.get(id);
    const changes: WebhookChanges = {};
    const diff: FieldChanges = {};
    if (update.url !== undefined && update.url !== webhook.url) {
      await this.assertTarget(update.url);
      changes.url = update.url;
      diff.url = [webhook.url, update.url];
    }
    if (update.events !== undefined) {
      const events = normaliseEvents(update.events);
      if (events.join(',') !== webhook.events.join(',')) {
        changes.events = events;
        diff.events = [webhook.events, events];
      }
    }
    if (update.description !== undefined && update.description !== webhook.description) {
      changes.description = update.description;
      diff.description = [webhook.description, update.description];
    }
    if (update.active !== undefined && update.active !== webhook.active) {
      changes.active = update.active;
      diff.active = [webhook.active, update.active];
    }
    if (Object.keys(changes).length === 0) return webhook;
    const saved = await this.webhooks.update(id, changes);
    this.domainEvents.record(new WebhookUpdated(id, diff));
    return saved;
  }

  /** Deletes the webhook and its delivery log; nothing more is sent to it. */
  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw new WebhookNotFoundError(id);
    this.domainEvents.record(new WebhookDeleted(id));
  }

  async deliveryLog(
    webhookId: string,
    query: { status?: DeliveryStatus; page: number; limit: number },
  ): Promise<Page<WebhookDelivery>> {
    await this.get(webhookId);
    const [items, total] = await this.deliveries.page(webhookId, query.status, query);
    return pageOf(items, total, query);
  }

  /**
   * Sends a delivery again, with the same `webhook-id`: it becomes pending, due now, with a fresh
   * retry window, and takes its place in the webhook's sequence order (deliveries behind it
   * wait for it, as for any other).
   */
  async redeliver(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.get(webhookId);
    const delivery = await this.deliveries.findForWebhook(webhookId, deliveryId);
    if (!delivery) throw new DeliveryNotFoundError(deliveryId);
    const requeued = await this.deliveries.requeue(delivery.id);
    this.domainEvents.record(new WebhookDeliveryRequeued(webhookId, delivery.id, delivery.eventId));
    return requeued;
  }

  private async assertTarget(url: string): Promise<void> {
    try {
      await this.targets.resolve(url);
    } catch (error) {
      if (error instanceof WebhookTargetError) throw error.toValidationError();
      throw error;
    }
  }
}

/** `["*"]`, or feed event types (deduplicated, sorted) — not both (API.md section 11a). */
export function normaliseEvents(events: string[]): string[] {
  const unique = [...new Set(events)];
  if (unique.includes('*')) {
    if (unique.length > 1)
      throw ValidationFailedError.forField(
        'events',
        'events must be ["*"] or a list of types, not both',
      );
    return ['*'];
  }
  if (unique.length === 0)
    throw ValidationFailedError.forField('events', 'events must name at least one type, or "*"');
  const unknown = unique.filter((type) => !isFeedEventType(type));
  if (unknown.length)
    throw ValidationFailedError.forField('events', `unknown event types: ${unknown.join(', ')}`);
  return unique.sort();
}
