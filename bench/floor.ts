// The floor of each write scenario: the fewest writes its use case must make, written by hand
// straight on PostgreSQL through a `pg` pool at the run's concurrency, in one transaction, on the
// schema's own tables (same indexes, same triggers, whatever the migrations left). The API's
// throughput over the floor's says how much the application adds on top of the database's work.
// Unlike the raw replay this does not depend on what the app happens to run: it is the target.
import { createHash, randomBytes } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { LatencyRecorder, type Measurement } from './measurement';
import type { Scenario, Slots } from './scenarios';

export interface FloorSettings {
  databaseUrl: string;
  connections: number;
  seconds: number;
}

/** One iteration of a floor: its statements, run in order inside BEGIN … COMMIT. */
type FloorStatements = (slots: Slots) => { sql: string; values: unknown[] }[];

function uuidV7(): string {
  const hex = Date.now().toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const fakeHash = () => createHash('sha256').update(randomBytes(16)).digest('hex');

/** An audit row appended to its resource's chain (the chain head read in the same statement). */
function auditRow(action: string, ticketId: string, actorId: string | null, changes: object) {
  return {
    // The chain head is read in the same statement; the ticket row lock the use case holds
    // keeps two writers off one chain (the floor's scenarios never share a ticket at once).
    sql: `INSERT INTO audit_log (id, occurred_at, actor_type, actor_id, action, resource_type,
            resource_id, changes, chain_key, chain_seq, prev_hash, hash, key_id)
          SELECT $1, now(), $2, $3, $4, 'ticket', $5, $6, $7,
            coalesce(head.chain_seq, 0) + 1, head.hash, $8, 'k1'
          FROM (SELECT 1) one
          LEFT JOIN LATERAL (SELECT chain_seq, hash FROM audit_log WHERE chain_key = $7
                             ORDER BY chain_seq DESC LIMIT 1) head ON true`,
    values: [
      uuidV7(),
      actorId ? 'user' : 'system',
      actorId,
      action,
      ticketId,
      JSON.stringify(changes),
      `ticket:${ticketId}`,
      fakeHash(),
    ],
  };
}

function notificationRow(event: string, ticketId: string, recipient: string) {
  return {
    sql: `INSERT INTO notification (id, event, recipient, subject, text_body, html_body, ticket_id,
            message_id_header)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    values: [
      uuidV7(),
      event,
      recipient,
      '[#1] Printer keeps crashing after the update',
      'We received your request and will answer soon.',
      '<p>We received your request and will answer soon.</p>',
      ticketId,
      `<${ticketId}@helpdesk.example>`,
    ],
  };
}

const CREATION_BODY =
  'Hello, the office printer crashes every morning since the update. Please help.';
const CREATION_SUBJECT = 'Printer keeps crashing after the update';

/** Customer upsert, ticket (SLA due times and search vector in the row), first message, audit, outbox. */
const creation: FloorStatements = (slots) => {
  const customerId = uuidV7();
  const ticketId = uuidV7();
  return [
    {
      sql: `INSERT INTO app_user (id, email, email_normalized, name, role)
            VALUES ($1, $2, $3, $4, 'customer')
            ON CONFLICT (email_normalized) DO UPDATE SET name = app_user.name RETURNING id`,
      values: [customerId, slots.email, slots.email.toLowerCase(), slots.name],
    },
    {
      sql: `INSERT INTO ticket (id, subject, status, priority, category, channel, requester_id,
              access_token_hash, first_response_due_at, resolution_due_at, sla_next_check_at,
              search_vector)
            VALUES ($1, $2, 'open', 'normal', 'technical', 'web', $3, $4,
              now() + interval '4 hours', now() + interval '24 hours', now() + interval '3 hours',
              setweight(to_tsvector('english', $2), 'A')
                || setweight(to_tsvector('simple', $5), 'B')
                || setweight(to_tsvector('english', $6), 'C'))
            RETURNING number`,
      values: [
        ticketId,
        CREATION_SUBJECT,
        customerId,
        fakeHash(),
        `${slots.name} ${slots.email}`,
        CREATION_BODY,
      ],
    },
    {
      sql: `INSERT INTO ticket_message (id, ticket_id, sender_type, sender_id, body)
            VALUES ($1, $2, 'customer', $3, $4)`,
      values: [uuidV7(), ticketId, customerId, CREATION_BODY],
    },
    auditRow('ticket.create', ticketId, null, { status: [null, 'open'] }),
    notificationRow('ticket.created', ticketId, slots.email),
  ];
};

const REPLY_BODY =
  'Thanks for the details. I have reset the integration and it should sync again within the hour.';

/** Lock-and-update the ticket (status, first response, search words), message, audit, outbox. */
const agentReply: FloorStatements = (slots) => [
  {
    sql: `UPDATE ticket SET status = 'waiting_customer',
            first_responded_at = coalesce(first_responded_at, now()),
            search_vector = search_vector || setweight(to_tsvector('english', $2), 'C'),
            version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING number, requester_id`,
    values: [slots.ticketId, REPLY_BODY],
  },
  {
    sql: `INSERT INTO ticket_message (id, ticket_id, sender_type, sender_id, body)
          VALUES ($1, $2, 'agent', $3, $4)`,
    values: [uuidV7(), slots.ticketId, slots.agentId, REPLY_BODY],
  },
  auditRow('ticket.reply', slots.ticketId, slots.agentId, {}),
  notificationRow('ticket.replied', slots.ticketId, 'customer@example.org'),
];

/** The status update, its audit row, and its outbox row (the event the feed and webhooks read). */
const statusChange: FloorStatements = (slots) => [
  {
    sql: `UPDATE ticket SET status = $2::ticket_status, version = version + 1, updated_at = now()
          WHERE id = $1`,
    values: [slots.ticketId, slots.status],
  },
  auditRow('ticket.status.update', slots.ticketId, slots.agentId, { status: ['x', slots.status] }),
  {
    sql: `INSERT INTO event (id, type, occurred_at, actor_type, actor_id, ticket_id, data)
          VALUES ($1, 'ticket.status_changed', now(), 'user', $2, $3, $4)`,
    values: [uuidV7(), slots.agentId, slots.ticketId, JSON.stringify({ status: slots.status })],
  },
];

const FLOORS: Record<string, FloorStatements> = {
  'public ticket creation': creation,
  'agent reply': agentReply,
  'status change': statusChange,
};

export function hasFloor(scenario: Scenario): boolean {
  return scenario.name in FLOORS;
}

async function runIteration(client: PoolClient, statements: ReturnType<FloorStatements>) {
  await client.query('BEGIN');
  try {
    for (const statement of statements) await client.query(statement.sql, statement.values);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Runs the scenario's floor for `seconds` at `connections`; null when it has none. */
export async function runFloor(
  scenario: Scenario,
  settings: FloorSettings,
  firstIteration: number,
): Promise<Measurement | null> {
  const floor = FLOORS[scenario.name];
  if (!floor) return null;
  const pool = new Pool({ connectionString: settings.databaseUrl, max: settings.connections });
  const recorder = new LatencyRecorder();
  let iteration = firstIteration;
  const started = Date.now();
  const deadline = started + settings.seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const statements = floor(scenario.slots(iteration++));
      const client = await pool.connect();
      const begin = performance.now();
      try {
        await runIteration(client, statements);
        recorder.record(performance.now() - begin);
      } catch (error) {
        recorder.errors++;
        recorder.fail(error instanceof Error ? error.message.slice(0, 120) : 'unknown error');
      } finally {
        client.release();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.connections }, worker));
  } finally {
    await pool.end();
  }
  return recorder.summary((Date.now() - started) / 1000);
}
