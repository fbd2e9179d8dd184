import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments (API.md section 7): one row per stored file. The bytes live in AttachmentStorage
 * under `storage_key`; a deleted attachment keeps its row (`deleted_at`, for the audit trail)
 * but loses its bytes.
 */
export class Attachments1763712800000 implements MigrationInterface {
  name = 'Attachments1763712800000';

  async up(q: QueryRunner): Promise<void> {
    // ticket_id is not ON DELETE CASCADE on purpose: a cascade would drop the rows and leave
    // their bytes in storage with nothing pointing at them. Tickets are only soft-deleted
    // today; anything that ever hard-deletes one must delete its attachments (and bytes) first.
    await q.query(`
      CREATE TABLE attachment (
        id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        message_id uuid,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        sha256 text NOT NULL,
        visibility text NOT NULL DEFAULT 'public',
        storage_key text NOT NULL,
        uploaded_by_id uuid,
        uploaded_by_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT attachment_pkey PRIMARY KEY (id),
        CONSTRAINT attachment_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES ticket (id),
        CONSTRAINT attachment_message_id_fkey FOREIGN KEY (message_id) REFERENCES ticket_message (id) ON DELETE SET NULL,
        CONSTRAINT attachment_uploaded_by_id_fkey FOREIGN KEY (uploaded_by_id) REFERENCES app_user (id),
        CONSTRAINT attachment_visibility_check CHECK (visibility IN ('public', 'internal')),
        CONSTRAINT attachment_size_check CHECK (size > 0),
        CONSTRAINT attachment_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT attachment_file_name_check CHECK (file_name <> '')
      )`);
    // Two rows sharing bytes would mean deleting one deletes the other's content.
    await q.query(`CREATE UNIQUE INDEX attachment_storage_key_key ON attachment (storage_key)`);
    // A ticket's attachments, oldest first (lists, detail views); deleted rows are never read.
    await q.query(
      `CREATE INDEX attachment_ticket_id_created_at_idx ON attachment (ticket_id, created_at, id)
         WHERE deleted_at IS NULL`,
    );
    // The attachments of a page of messages, in one query.
    await q.query(
      `CREATE INDEX attachment_message_id_idx ON attachment (message_id)
         WHERE message_id IS NOT NULL AND deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment`);
  }
}
