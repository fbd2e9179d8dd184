import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';

/** `*` (every feed type) or a list of feed event types. */
export type WebhookEventFilter = string[];

/** A target for feed events. Its signing secret is stored encrypted (see WebhookSecrets). */
@Entity('webhook')
export class Webhook {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: WebhookEventFilter;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text')
  secretCiphertext: string;

  @Column('boolean', { default: true })
  active: boolean;

  /** Held by the worker delivering to this webhook, so its deliveries go one at a time, in order. */
  @Column('uuid', { nullable: true })
  deliveryLeaseId: string | null;

  @Column('timestamptz', { nullable: true })
  deliveryLeaseUntil: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export function subscribesTo(webhook: Pick<Webhook, 'events'>, type: string): boolean {
  return webhook.events.includes('*') || webhook.events.includes(type);
}
