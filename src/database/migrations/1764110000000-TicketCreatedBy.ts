import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who opened a ticket (`StaffTicket.created_by`): the actor of the intake or staff create, as
 * the event feed names actors (`user` | `api_key` | `system`, and an id). An anonymous contact
 * form is opened by the customer account it found or created. Existing tickets take it from
 * their `ticket.create` audit entry, the record of who did it.
 */
export class TicketCreatedBy1764110000000 implements MigrationInterface {
  name = 'TicketCreatedBy1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ticket
         ADD COLUMN created_by_type text,
         ADD COLUMN created_by_id uuid,
         ADD CONSTRAINT ticket_created_by_type_check
           CHECK (created_by_type IN ('user', 'api_key', 'system'))`,
    );
    await q.query(
      `UPDATE ticket t
          SET created_by_type = a.actor_type,
              created_by_id = COALESCE(a.actor_id,
                                       CASE WHEN a.actor_type = 'user' THEN t.requester_id END)
         FROM audit_log a
        WHERE a.action = 'ticket.create' AND a.resource_type = 'ticket'
          AND a.resource_id = t.id::text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ticket DROP CONSTRAINT ticket_created_by_type_check,
         DROP COLUMN created_by_id, DROP COLUMN created_by_type`,
    );
  }
}
