import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search document is written by the statements that change it (docs/workflow.md): a new
 * ticket's INSERT carries it, and a new message's words are appended by the ticket UPDATE its
 * use case makes anyway. The message trigger, which rewrote the ticket row after every message
 * insert (a second write of a row with twenty-odd indexes), goes. The BEFORE trigger stays for
 * writers that give no document (SQL by hand) and for subject edits, where it rebuilds the
 * document within the same statement.
 */
export class SearchVectorInStatement1764300000000 implements MigrationInterface {
  name = 'SearchVectorInStatement1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ticket_message_search_append ON ticket_message`);
    await q.query(`DROP FUNCTION ticket_message_search_append()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION ticket_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- An INSERT that brings its own document (the application's always does) keeps it.
        IF TG_OP = 'INSERT' AND NEW.search_vector <> ''::tsvector THEN
          RETURN NEW;
        END IF;
        NEW.search_vector := ticket_search_document(NEW.subject, NEW.requester_id, NEW.id);
        RETURN NEW;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ticket_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := ticket_search_document(NEW.subject, NEW.requester_id, NEW.id);
        RETURN NEW;
      END $$`);
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
  }
}
