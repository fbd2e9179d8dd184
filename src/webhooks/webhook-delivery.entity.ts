import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One feed event for one webhook: its state, attempts and last outcome (the delivery log). */
@Entity('webhook_delivery')
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  webhookId: string;

  @Column('uuid')
  eventId: string;

  /** The event's sequence: a webhook's deliveries are made in this order. */
  @Column({
    type: 'bigint',
    transformer: { from: (v: string) => Number(v), to: (v: unknown) => v },
  })
  sequence: number;

  @Column({ type: 'enum', enumName: 'webhook_delivery_status', enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('integer', { nullable: true })
  responseStatus: number | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  /** When the next attempt is due (pending deliveries only). */
  @Column('timestamptz', { nullable: true })
  nextAttemptAt: Date | null;

  /** End of the retry window, set by the first attempt (null until then). */
  @Column('timestamptz', { nullable: true })
  retryUntil: Date | null;

  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
