import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhook.delivered_through`: no delivery of the webhook at or below this sequence is pending.
 * A webhook delivers in sequence order, so its head (lowest pending delivery) is found by a scan
 * that starts there, instead of walking `webhook_delivery_pending_idx` from the webhook's first
 * delivery through every finished one whose dead entry VACUUM has not removed (issue 22;
 * docs/event-feed.md). The worker moves it up when it finishes a head; a redelivery moves it down.
 */
export class WebhookDeliveredThrough1764400100000 implements MigrationInterface {
  name = 'WebhookDeliveredThrough1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook ADD COLUMN delivered_through bigint NOT NULL DEFAULT 0`);
    await q.query(`
      UPDATE webhook w
         SET delivered_through = coalesce(
           (SELECT min(sequence) - 1 FROM webhook_delivery d
             WHERE d.webhook_id = w.id AND d.status = 'pending'),
           (SELECT max(sequence) FROM webhook_delivery d WHERE d.webhook_id = w.id),
           0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook DROP COLUMN delivered_through`);
  }
}
