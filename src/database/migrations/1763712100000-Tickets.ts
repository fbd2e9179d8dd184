import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Tickets1763712100000 implements MigrationInterface {
  name = 'Tickets1763712100000';

  async up(q: QueryRunner): Promise<void> {
    // Enums sort in declaration order, so `sort=priority` is urgent-last/first and index-backed.
    await q.query(
      `CREATE TYPE ticket_status AS ENUM ('open', 'in_progress', 'pending', 'waiting_customer', 'resolved', 'closed')`,
    );
    await q.query(`CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'high', 'urgent')`);
    await q.query(`CREATE TYPE ticket_channel AS ENUM ('web', 'email', 'phone', 'api', 'chat')`);
    await q.query(`CREATE SEQUENCE ticket_number_seq AS bigint START 1`);

    await q.query(`
      CREATE TABLE ticket (
        id uuid NOT NULL,
        number bigint NOT NULL DEFAULT nextval('ticket_number_seq'),
        subject text NOT NULL,
        status ticket_status NOT NULL DEFAULT 'open',
        priority ticket_priority NOT NULL DEFAULT 'normal',
        category text,
        channel ticket_channel NOT NULL,
        requester_id uuid NOT NULL,
        assignee_id uuid,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        resolution_notes text,
        resolved_at timestamptz,
        closed_at timestamptz,
        first_responded_at timestamptz,
        escalated boolean NOT NULL DEFAULT false,
        escalation_reason text,
        escalated_at timestamptz,
        first_response_due_at timestamptz,
        first_response_at_risk_at timestamptz,
        first_response_breached_at timestamptz,
        resolution_due_at timestamptz,
        resolution_at_risk_at timestamptz,
        resolution_breached_at timestamptz,
        sla_paused_at timestamptz,
        sla_paused_minutes integer NOT NULL DEFAULT 0,
        access_token_hash text,
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_pkey PRIMARY KEY (id),
        CONSTRAINT ticket_requester_id_fkey FOREIGN KEY (requester_id) REFERENCES app_user (id),
        CONSTRAINT ticket_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES app_user (id),
        CONSTRAINT ticket_subject_length_check CHECK (char_length(subject) BETWEEN 1 AND 200)
      )`);
    await q.query(`ALTER SEQUENCE ticket_number_seq OWNED BY ticket.number`);
    await q.query(`CREATE UNIQUE INDEX ticket_number_key ON ticket (number)`);
    await q.query(
      `CREATE UNIQUE INDEX ticket_access_token_hash_key ON ticket (access_token_hash) WHERE access_token_hash IS NOT NULL`,
    );
    // List indexes: only live rows are ever listed, so every one is partial on deleted_at. Each
    // sort index ends with (created_at, id) because a sort's tiebreakers follow its direction,
    // so one index serves both directions (forward and backward scans).
    await q.query(
      `CREATE INDEX ticket_created_at_idx ON ticket (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_updated_at_idx ON ticket (updated_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_status_created_at_idx ON ticket (status, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_priority_created_at_idx ON ticket (priority, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_resolution_due_at_created_at_idx ON ticket (resolution_due_at, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_assignee_status_created_at_idx ON ticket (assignee_id, status, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_requester_created_at_idx ON ticket (requester_id, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_category_created_at_idx ON ticket (category, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_tags_idx ON ticket USING gin (tags) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_search_vector_idx ON ticket USING gin (search_vector) WHERE deleted_at IS NULL`,
    );
    // Due-time candidates for the SLA sweep: only tickets whose clock still runs.
    await q.query(
      `CREATE INDEX ticket_resolution_due_at_idx ON ticket (resolution_due_at) WHERE deleted_at IS NULL AND resolved_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_first_response_due_at_idx ON ticket (first_response_due_at) WHERE deleted_at IS NULL AND first_responded_at IS NULL`,
    );
    // Filters combine correlated columns (a status with a category, an agent with a priority);
    // multi-column statistics keep the planner's row estimates — and so its index choice — honest.
    // (Pairs, not one wide object: a pair's combinations fit in the MCV list, a 4-column one's don't.)
    await q.query(
      `CREATE STATISTICS ticket_status_category_stats (mcv) ON status, category FROM ticket`,
    );
    await q.query(
      `CREATE STATISTICS ticket_status_priority_stats (mcv) ON status, priority FROM ticket`,
    );
    await q.query(
      `CREATE STATISTICS ticket_assignee_status_stats (mcv) ON assignee_id, status FROM ticket`,
    );
    await q.query(`ALTER STATISTICS ticket_assignee_status_stats SET STATISTICS 1000`);

    await q.query(`
      CREATE TABLE ticket_message (
        id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        sender_type text NOT NULL,
        sender_id uuid,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_message_pkey PRIMARY KEY (id),
        CONSTRAINT ticket_message_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES ticket (id) ON DELETE CASCADE,
        CONSTRAINT ticket_message_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES app_user (id),
        CONSTRAINT ticket_message_sender_type_check CHECK (sender_type IN ('customer', 'agent', 'system'))
      )`);
    await q.query(
      `CREATE INDEX ticket_message_ticket_id_created_at_idx ON ticket_message (ticket_id, created_at, id)`,
    );

    // The search document: subject (A), requester name and email (B), message bodies (C).
    // Notes are deliberately not part of it: customer-side search must never match one.
    await q.query(`
      CREATE FUNCTION ticket_search_document(p_subject text, p_requester_id uuid, p_ticket_id uuid) RETURNS tsvector
      LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(p_subject, '')), 'A')
          || setweight(to_tsvector('simple', coalesce((SELECT name || ' ' || email FROM app_user WHERE id = p_requester_id), '')), 'B')
          || coalesce((SELECT setweight(to_tsvector('english', string_agg(body, ' ')), 'C')
                       FROM ticket_message WHERE ticket_id = p_ticket_id), ''::tsvector)
      $$`);
    await q.query(`
      CREATE FUNCTION ticket_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := ticket_search_document(NEW.subject, NEW.requester_id, NEW.id);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER ticket_search_refresh BEFORE INSERT OR UPDATE OF subject, requester_id ON ticket
      FOR EACH ROW EXECUTE FUNCTION ticket_search_refresh()`);
    // A new message appends its words instead of re-reading the whole conversation.
    await q.query(`
      CREATE FUNCTION ticket_message_search_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ticket SET search_vector = search_vector || setweight(to_tsvector('english', NEW.body), 'C')
        WHERE id = NEW.ticket_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ticket_message_search_append AFTER INSERT ON ticket_message
      FOR EACH ROW EXECUTE FUNCTION ticket_message_search_append()`);

    await q.query(`
      CREATE TABLE idempotency_key (
        caller text NOT NULL,
        key text NOT NULL,
        route text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_key_pkey PRIMARY KEY (caller, key)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created_at_idx ON idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
    await q.query(`DROP TRIGGER ticket_message_search_append ON ticket_message`);
    await q.query(`DROP FUNCTION ticket_message_search_append()`);
    await q.query(`DROP TABLE ticket_message`);
    await q.query(`DROP STATISTICS ticket_assignee_status_stats`);
    await q.query(`DROP STATISTICS ticket_status_priority_stats`);
    await q.query(`DROP STATISTICS ticket_status_category_stats`);
    await q.query(`DROP TABLE ticket`);
    await q.query(`DROP FUNCTION ticket_search_refresh()`);
    await q.query(`DROP FUNCTION ticket_search_document(text, uuid, uuid)`);
    await q.query(`DROP TYPE ticket_channel`);
    await q.query(`DROP TYPE ticket_priority`);
    await q.query(`DROP TYPE ticket_status`);
  }
}
