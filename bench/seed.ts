// Seeds the bench database in set-based SQL: every ticket's fields are pure functions of its
// number (hashes of it pick statuses, words, people), so tickets, their messages, notes,
// assignments and audit rows are generated batch by batch with INSERT … SELECT over
// generate_series, and the search document is computed once, in the ticket's own INSERT.
// Secondary indexes and triggers are off during the load and rebuilt at the end.
import type { Client } from 'pg';
import * as text from './seed-text';
import { log, elapsedSince } from './util';

export interface SeedPeople {
  customerIds: string[];
  agentIds: string[];
  managerId: string;
  adminId: string;
}

const CUSTOMERS = 2000;
const AGENTS = 25;
const SPAN_DAYS = 730;
const BATCH = 50_000;
const LOADED_TABLES = ['ticket', 'ticket_message', 'ticket_note', 'ticket_assignment', 'audit_log'];

/** Seeds `tickets` tickets into an empty, migrated database. */
export async function seed(client: Client, tickets: number): Promise<SeedPeople> {
  const started = Date.now();
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  const reference = new Date();
  await createHelpers(client, tickets, reference);
  const people = await insertPeople(client);
  const indexes = await dropSecondaryIndexes(client);
  await setTriggers(client, 'DISABLE');
  for (let low = 1; low <= tickets; low += BATCH) {
    const high = Math.min(tickets, low + BATCH - 1);
    await insertBatch(client, low, high, people.managerId);
    log(`seed: tickets ${high}/${tickets} (${elapsedSince(started)})`);
  }
  await client.query(`SELECT setval('ticket_number_seq', $1)`, [tickets]);
  await setTriggers(client, 'ENABLE');
  await rebuildIndexes(client, indexes, started);
  await dropHelpers(client);
  for (const table of [...LOADED_TABLES, 'app_user']) await client.query(`VACUUM ANALYZE ${table}`);
  // What --reuse-seed looks for: written last, so a run cut off mid-seed is never reused.
  await client.query(`CREATE TABLE bench_seed AS SELECT $1::int AS tickets, now() AS seeded_at`, [
    tickets,
  ]);
  log(`seed: done, analyzed (${elapsedSince(started)})`);
  return people;
}

/**
 * The people of a finished seed of `tickets` tickets in this database, or null when there is no
 * such seed (never seeded, cut off, or seeded with another size). Customers the scenarios created
 * since are not among them: seeded people were created before any ticket.
 */
export async function seededPeople(client: Client, tickets: number): Promise<SeedPeople | null> {
  // No bench_seed table (an older or unfinished seed) fails the query: nothing to reuse.
  const marker = await client
    .query<{ tickets: number }>('SELECT tickets FROM bench_seed')
    .catch(() => null);
  if (marker?.rows[0]?.tickets !== tickets) return null;
  const { rows } = await client.query<{
    customer_ids: string[];
    agent_ids: string[];
    manager_id: string;
    admin_id: string;
  }>(`WITH seeded AS (
        SELECT * FROM app_user WHERE created_at < (SELECT min(created_at) FROM ticket)
      )
      SELECT
        (SELECT array_agg(id ORDER BY email) FROM seeded WHERE role = 'customer') AS customer_ids,
        (SELECT array_agg(id ORDER BY email) FROM seeded WHERE role = 'support') AS agent_ids,
        (SELECT id FROM seeded WHERE role = 'support_manager') AS manager_id,
        (SELECT id FROM seeded WHERE role = 'admin') AS admin_id`);
  const [people] = rows;
  if (people.customer_ids?.length !== CUSTOMERS || people.agent_ids?.length !== AGENTS) return null;
  return {
    customerIds: people.customer_ids,
    agentIds: people.agent_ids,
    managerId: people.manager_id,
    adminId: people.admin_id,
  };
}

// ---- helpers: deterministic pseudo-random picks, baked with this run's constants ---------------

function sqlArray(words: readonly string[]): string {
  return `ARRAY[${words.map((word) => `'${word.replace(/'/g, "''")}'`).join(',')}]`;
}

/** A word of `words`, picked by a hash of (seed, salt): the same ticket always gets the same text. */
function pick(words: readonly string[], seed: string, salt: number): string {
  return `(${sqlArray(words)})[1 + (hashint8(${seed} * 131 + ${salt}) & 2147483647) % ${words.length}]`;
}

async function createHelpers(client: Client, tickets: number, reference: Date): Promise<void> {
  const referenceSql = `'${reference.toISOString()}'::timestamptz`;
  await client.query(`
    CREATE FUNCTION bench_rand(seed bigint, salt int) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT (hashint8(seed * 131 + salt) & 2147483647)::double precision / 2147483648 $$`);
  await client.query(`
    CREATE FUNCTION bench_reference() RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
    $$ SELECT ${referenceSql} $$`);
  // Tickets are spread over two years, numbered in creation order.
  await client.query(`
    CREATE FUNCTION bench_created_at(n bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
    $$ SELECT ${referenceSql} - make_interval(secs => (${tickets} - n + bench_rand(n, 1))
         * ${SPAN_DAYS * 86400} / ${tickets}) $$`);
  await client.query(`
    CREATE FUNCTION bench_message_count(n bigint) RETURNS int LANGUAGE sql IMMUTABLE AS
    $$ SELECT 1 + floor(bench_rand(n, 4) * 6)::int $$`);
  // Time between two messages of one ticket: 5 minutes to 6 hours.
  await client.query(`
    CREATE FUNCTION bench_message_gap(n bigint) RETURNS interval LANGUAGE sql IMMUTABLE AS
    $$ SELECT make_interval(mins => 5 + floor(bench_rand(n, 5) * 355)::int) $$`);
  const customerText = [
    pick(text.OPENERS, '(n * 8 + k)', 1),
    `'the'`,
    pick(text.ADJECTIVES, '(n * 8 + k)', 2),
    pick(text.NOUNS, '(n * 8 + k)', 3),
    pick(text.PROBLEMS, '(n * 8 + k)', 4),
    `${pick(text.CONTEXTS, '(n * 8 + k)', 5)} || '.'`,
    pick(text.CLOSINGS, '(n * 8 + k)', 6),
  ].join(` || ' ' || `);
  const agentText = [
    pick(text.AGENT_OPENERS, '(n * 8 + k)', 7),
    pick(text.AGENT_ACTIONS, '(n * 8 + k)', 8),
    `'the'`,
    pick(text.NOUNS, '(n * 8 + k)', 9),
    `${pick(text.AGENT_FOLLOWUPS, '(n * 8 + k)', 10)} || '.'`,
    pick(text.AGENT_CLOSINGS, '(n * 8 + k)', 11),
  ].join(` || ' ' || `);
  // Message k of ticket n: customers write the odd ones, agents the even ones. Plain expressions
  // (no subqueries), so PostgreSQL inlines these functions instead of calling them row by row.
  await client.query(`
    CREATE FUNCTION bench_message_body(n bigint, k int) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN k % 2 = 1 THEN ${customerText} ELSE ${agentText} END $$`);
  const conversation = Array.from({ length: 6 }, (_, index) =>
    index === 0
      ? 'bench_message_body(n, 1)'
      : `CASE WHEN bench_message_count(n) > ${index} THEN ' ' || bench_message_body(n, ${index + 1}) ELSE '' END`,
  ).join(' || ');
  await client.query(`
    CREATE FUNCTION bench_conversation(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT ${conversation} $$`);
  const subject = `initcap(${pick(text.ADJECTIVES, 'n', 12)}) || ' ' || ${pick(text.NOUNS, 'n', 13)}
    || ' ' || ${pick(text.PROBLEMS, 'n', 14)}
    || CASE WHEN n % 1000 = 500 THEN ' (${text.RARE_WORD})' ELSE '' END`;
  await client.query(`
    CREATE FUNCTION bench_subject(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT ${subject} $$`);
  // A UUID v7 (time-ordered, like the app's ids) from the creation instant and the number.
  await client.query(`
    CREATE FUNCTION bench_uuid7(at timestamptz, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
    $$ SELECT (lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') || '7'
         || substr(md5(n::text), 1, 3) || '8' || substr(md5(n::text), 4, 15))::uuid $$`);
}

async function dropHelpers(client: Client): Promise<void> {
  await client.query(`
    DROP FUNCTION bench_conversation(bigint), bench_message_body(bigint, int),
      bench_subject(bigint), bench_uuid7(timestamptz, bigint), bench_message_gap(bigint),
      bench_message_count(bigint), bench_created_at(bigint), bench_reference(),
      bench_rand(bigint, int)`);
  await client.query(`DROP TABLE bench_people`);
}

// ---- people -------------------------------------------------------------------------------------

async function insertPeople(client: Client): Promise<SeedPeople> {
  await client.query(
    // ASCII addresses, already lower-case: their normalised form (normalizeEmail) is themselves.
    `INSERT INTO app_user (id, email, email_normalized, name, role, organization, created_at)
     SELECT gen_random_uuid(), e.email, e.email, f.name || ' ' || l.name,
       'customer', 'Customer Org ' || (g % 300), bench_reference() - interval '800 days'
     FROM generate_series(1, ${CUSTOMERS}) g,
       LATERAL (SELECT ($1::text[])[1 + g % array_length($1::text[], 1)] AS name) f,
       LATERAL (SELECT ($2::text[])[1 + (g / 7) % array_length($2::text[], 1)] AS name) l,
       LATERAL (SELECT lower(f.name || '.' || l.name || '.' || g || '@example.com') AS email) e`,
    [text.FIRST_NAMES, text.LAST_NAMES],
  );
  await client.query(
    `INSERT INTO app_user (id, email, email_normalized, name, role, created_at)
     SELECT gen_random_uuid(), email, email, name, role, created_at FROM (
       SELECT 'agent' || g || '@helpdesk.example' AS email, 'Agent ' || g AS name,
         'support' AS role, bench_reference() - interval '800 days' AS created_at
       FROM generate_series(1, ${AGENTS}) g
       UNION ALL SELECT 'manager@helpdesk.example', 'Morgan Manager',
         'support_manager', bench_reference() - interval '800 days'
       UNION ALL SELECT 'admin@helpdesk.example', 'Ada Admin', 'admin',
         bench_reference() - interval '800 days') staff`,
  );
  await client.query(`
    CREATE TABLE bench_people AS SELECT
      (SELECT array_agg(id ORDER BY email) FROM app_user WHERE role = 'customer') AS customer_ids,
      (SELECT array_agg(name || ' ' || email ORDER BY email) FROM app_user WHERE role = 'customer')
        AS customer_documents,
      (SELECT array_agg(id ORDER BY email) FROM app_user WHERE role = 'support') AS agent_ids`);
  const { rows } = await client.query<{
    customer_ids: string[];
    agent_ids: string[];
    manager_id: string;
    admin_id: string;
  }>(`SELECT customer_ids, agent_ids,
        (SELECT id FROM app_user WHERE role = 'support_manager') AS manager_id,
        (SELECT id FROM app_user WHERE role = 'admin') AS admin_id
      FROM bench_people`);
  const [people] = rows;
  log(`seed: ${CUSTOMERS} customers, ${AGENTS} agents, a manager and an admin`);
  return {
    customerIds: people.customer_ids,
    agentIds: people.agent_ids,
    managerId: people.manager_id,
    adminId: people.admin_id,
  };
}

// ---- indexes and triggers -----------------------------------------------------------------------

interface IndexDefinition {
  name: string;
  definition: string;
}

/** Secondary indexes are cheaper to build once than to maintain row by row during the load. */
async function dropSecondaryIndexes(client: Client): Promise<IndexDefinition[]> {
  const { rows } = await client.query<IndexDefinition>(
    `SELECT i.indexname AS name, i.indexdef AS definition
     FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [LOADED_TABLES],
  );
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
  return rows;
}

async function rebuildIndexes(
  client: Client,
  indexes: IndexDefinition[],
  started: number,
): Promise<void> {
  for (const index of indexes) {
    await client.query(index.definition);
    log(`seed: index ${index.name} (${elapsedSince(started)})`);
  }
}

/** The seed writes consistent rows and its own search documents: no triggers (search, FKs). */
async function setTriggers(client: Client, mode: 'ENABLE' | 'DISABLE'): Promise<void> {
  for (const table of LOADED_TABLES) await client.query(`ALTER TABLE ${table} ${mode} TRIGGER ALL`);
}

// ---- one batch of tickets and everything that hangs off them ----------------------------------

async function insertBatch(
  client: Client,
  low: number,
  high: number,
  managerId: string,
): Promise<void> {
  await client.query('BEGIN');
  await client.query(INSERT_TICKETS, [low, high]);
  await client.query(INSERT_MESSAGES, [low, high]);
  await client.query(INSERT_NOTES, [low, high]);
  await client.query(INSERT_ASSIGNMENTS, [low, high, managerId]);
  await client.query(INSERT_AUDIT, [low, high]);
  await client.query('COMMIT');
}

// Recent tickets (two weeks) are mostly still being worked; older ones are mostly closed.
const STATUS = `CASE WHEN a.age_days < 14 THEN
    CASE WHEN a.r_status < 0.35 THEN 'open' WHEN a.r_status < 0.55 THEN 'in_progress'
         WHEN a.r_status < 0.65 THEN 'pending' WHEN a.r_status < 0.80 THEN 'waiting_customer'
         ELSE 'resolved' END
  ELSE
    CASE WHEN a.r_status < 0.03 THEN 'open' WHEN a.r_status < 0.05 THEN 'in_progress'
         WHEN a.r_status < 0.06 THEN 'pending' WHEN a.r_status < 0.08 THEN 'waiting_customer'
         WHEN a.r_status < 0.12 THEN 'resolved' ELSE 'closed' END
  END`;

const PRIORITY = `CASE WHEN bench_rand(g, 21) < 0.15 THEN 'low' WHEN bench_rand(g, 21) < 0.70 THEN 'normal'
  WHEN bench_rand(g, 21) < 0.92 THEN 'high' ELSE 'urgent' END`;

const CATEGORY = `CASE WHEN bench_rand(g, 22) < 0.25 THEN 'billing' WHEN bench_rand(g, 22) < 0.45 THEN 'account'
  WHEN bench_rand(g, 22) < 0.75 THEN 'technical' WHEN bench_rand(g, 22) < 0.85 THEN 'shipping'
  WHEN bench_rand(g, 22) < 0.90 THEN 'feature_request' END`;

const CHANNEL = `CASE WHEN bench_rand(g, 23) < 0.45 THEN 'web' WHEN bench_rand(g, 23) < 0.80 THEN 'email'
  WHEN bench_rand(g, 23) < 0.88 THEN 'api' WHEN bench_rand(g, 23) < 0.95 THEN 'phone' ELSE 'chat' END`;

const TAGS = `CASE WHEN bench_rand(g, 24) < 0.05 THEN ARRAY['vip']
  WHEN bench_rand(g, 24) < 0.09 THEN ARRAY['refund']
  WHEN bench_rand(g, 24) < 0.15 THEN ARRAY['bug', 'needs-engineering']
  WHEN bench_rand(g, 24) < 0.18 THEN ARRAY['onboarding'] ELSE '{}'::text[] END`;

// SLA targets of the default policies (calendar time), by priority.
const FIRST_RESPONSE = `CASE b.priority WHEN 'urgent' THEN interval '60 min' WHEN 'high' THEN interval '240 min'
  WHEN 'normal' THEN interval '480 min' ELSE interval '1440 min' END`;
const RESOLUTION = `CASE b.priority WHEN 'urgent' THEN interval '240 min' WHEN 'high' THEN interval '1440 min'
  WHEN 'normal' THEN interval '2880 min' ELSE interval '5760 min' END`;

const INSERT_TICKETS = `
INSERT INTO ticket (id, number, subject, status, priority, category, channel, requester_id,
  assignee_id, tags, resolution_notes, resolved_at, closed_at, first_responded_at,
  first_response_due_at, first_response_at_risk_at, first_response_breached_at,
  resolution_due_at, resolution_at_risk_at, resolution_breached_at, sla_paused_at,
  search_vector, version, created_at, updated_at)
SELECT bench_uuid7(c.created_at, c.g), c.g, c.subject, c.status::ticket_status,
  c.priority::ticket_priority, c.category, c.channel::ticket_channel, c.requester_id,
  c.assignee_id, c.tags,
  CASE WHEN c.resolved_at IS NOT NULL THEN 'We fixed the ' || lower(c.subject) || '.' END,
  c.resolved_at, c.closed_at, c.first_responded_at,
  c.created_at + c.first_response, c.created_at + c.first_response * 0.75,
  CASE WHEN coalesce(c.first_responded_at, bench_reference()) > c.created_at + c.first_response
       THEN c.created_at + c.first_response END,
  c.created_at + c.resolution, c.created_at + c.resolution * 0.75,
  CASE WHEN coalesce(c.resolved_at, bench_reference()) > c.created_at + c.resolution
       AND c.status NOT IN ('pending', 'waiting_customer')
       THEN c.created_at + c.resolution END,
  CASE WHEN c.status IN ('pending', 'waiting_customer') THEN c.last_message_at END,
  setweight(to_tsvector('english', c.subject), 'A')
    || setweight(to_tsvector('simple', c.requester_document), 'B')
    || setweight(to_tsvector('english', bench_conversation(c.g)), 'C'),
  1 + c.message_count, c.created_at,
  greatest(c.last_message_at, c.resolved_at, c.closed_at)
FROM (
  SELECT b.*,
    ${FIRST_RESPONSE} AS first_response,
    ${RESOLUTION} AS resolution,
    CASE WHEN b.message_count >= 2 THEN b.created_at + b.gap END AS first_responded_at,
    b.created_at + b.gap * (b.message_count - 1) AS last_message_at,
    CASE WHEN b.status IN ('resolved', 'closed')
         THEN b.created_at + b.gap * b.message_count + make_interval(hours => floor(bench_rand(b.g, 25) * 48)::int)
    END AS resolved_at,
    CASE WHEN b.status = 'closed'
         THEN b.created_at + b.gap * b.message_count + make_interval(hours => 48 + floor(bench_rand(b.g, 25) * 48)::int)
    END AS closed_at,
    CASE WHEN b.status = 'open' AND bench_rand(b.g, 26) < 0.4 THEN NULL
         ELSE b.agent_ids[1 + floor(bench_rand(b.g, 27) * array_length(b.agent_ids, 1))::int] END
      AS assignee_id
  FROM (
    SELECT a.*, ${STATUS} AS status
    FROM (
      SELECT g, bench_created_at(g) AS created_at,
        extract(epoch FROM bench_reference() - bench_created_at(g)) / 86400 AS age_days,
        bench_rand(g, 2) AS r_status,
        ${PRIORITY} AS priority, ${CATEGORY} AS category, ${CHANNEL} AS channel, ${TAGS} AS tags,
        bench_subject(g) AS subject, bench_message_count(g) AS message_count,
        bench_message_gap(g) AS gap,
        p.customer_ids[1 + floor(bench_rand(g, 3) * array_length(p.customer_ids, 1))::int] AS requester_id,
        p.customer_documents[1 + floor(bench_rand(g, 3) * array_length(p.customer_ids, 1))::int]
          AS requester_document,
        p.agent_ids
      FROM generate_series($1::bigint, $2::bigint) g CROSS JOIN bench_people p
    ) a
  ) b
) c`;

const INSERT_MESSAGES = `
INSERT INTO ticket_message (id, ticket_id, sender_type, sender_id, body, created_at)
SELECT bench_uuid7(t.created_at + bench_message_gap(t.number) * (k - 1), t.number * 8 + k), t.id,
  CASE WHEN k % 2 = 1 THEN 'customer' ELSE 'agent' END,
  CASE WHEN k % 2 = 1 THEN t.requester_id ELSE coalesce(t.assignee_id, p.agent_ids[1]) END,
  bench_message_body(t.number, k), t.created_at + bench_message_gap(t.number) * (k - 1)
FROM ticket t CROSS JOIN bench_people p
  CROSS JOIN LATERAL generate_series(1, bench_message_count(t.number)) k
WHERE t.number BETWEEN $1 AND $2`;

// About one ticket in seven has an internal note.
const INSERT_NOTES = `
INSERT INTO ticket_note (id, ticket_id, author_id, body, created_at)
SELECT bench_uuid7(t.created_at + interval '3 min', t.number * 8 + 7), t.id, t.assignee_id,
  'Internal: checked the ' || lower(t.subject) || ' with the customer history.',
  t.created_at + interval '3 min'
FROM ticket t
WHERE t.number BETWEEN $1 AND $2 AND t.assignee_id IS NOT NULL AND bench_rand(t.number, 30) < 0.15`;

const INSERT_ASSIGNMENTS = `
INSERT INTO ticket_assignment (id, ticket_id, from_id, to_id, by_id, by_name, reason, at)
SELECT bench_uuid7(t.created_at + interval '2 min', t.number * 8 + 6), t.id, NULL, t.assignee_id,
  $3::uuid, 'Morgan Manager', NULL, t.created_at + interval '2 min'
FROM ticket t
WHERE t.number BETWEEN $1 AND $2 AND t.assignee_id IS NOT NULL`;

// One "ticket.create" entry per ticket, the head of its chain (hashes are placeholders: the bench
// never verifies the chain, and the app only reads the head's hash to link the next entry).
const INSERT_AUDIT = `
INSERT INTO audit_log (id, occurred_at, actor_type, actor_id, actor_role, action, resource_type,
  resource_id, changes, details, chain_key, chain_seq, prev_hash, hash, key_id)
SELECT bench_uuid7(t.created_at, t.number * 8), t.created_at, 'user', t.requester_id, 'customer',
  'ticket.create', 'ticket', t.id::text,
  jsonb_build_object('status', t.status, 'priority', t.priority, 'subject', t.subject),
  jsonb_build_object('channel', t.channel), 'ticket:' || t.id, 1, NULL,
  md5(t.id::text) || md5(t.number::text), 'bench-seed'
FROM ticket t
WHERE t.number BETWEEN $1 AND $2`;
