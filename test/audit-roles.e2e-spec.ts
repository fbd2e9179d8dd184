import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createStaff, createTestApp, openPublicTicket, type TestApp } from '@helpdesk/testing';

// Issue 21: the app connects as a runtime role that owns nothing (DATABASE_URL) while
// migrations run as the owner (DATABASE_MIGRATION_URL), and verify notices a removed tail.
// A spec file of its own: its app connects as another role (passport's strategies are
// process-wide, so it must be the only app booted here).
describe('audit log: a runtime role that cannot switch the log off, and truncated tails', () => {
  const ownerUrl = process.env.DATABASE_URL!;
  const role = `helpdesk_runtime_${process.pid}_${Date.now().toString(36)}`;
  const runtimeUrl = (() => {
    const url = new URL(ownerUrl);
    url.username = role;
    return url.toString();
  })();
  let t: TestApp;

  const asOwner = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await asOwner((c) => c.query(`CREATE ROLE ${role} LOGIN`));
    t = await createTestApp({ DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: ownerUrl });
  });

  afterAll(async () => {
    await t?.close();
    await asOwner(async (c) => {
      await c.query(`DROP OWNED BY ${role}`);
      await c.query(`DROP ROLE ${role}`);
    });
  });

  it('works as the runtime role, which cannot disable the append-only trigger nor change audit rows', async () => {
    const [{ current_user }] = await t.app.get(DataSource).query('SELECT current_user');
    expect(current_user).toBe(role);
    const ticket = await openPublicTicket(t); // an audited write, as the runtime role
    const runtime = new Client({ connectionString: runtimeUrl });
    await runtime.connect();
    try {
      const [{ count }] = (
        await runtime.query(`SELECT count(*)::int AS count FROM audit_log WHERE resource_id = $1`, [
          ticket.id,
        ])
      ).rows;
      expect(count).toBeGreaterThan(0);
      for (const sql of [
        'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
        'ALTER TABLE audit_log DISABLE TRIGGER ALL',
        `UPDATE audit_log SET ip = 'forged' WHERE resource_id = '${ticket.id}'`,
        `DELETE FROM audit_log WHERE resource_id = '${ticket.id}'`,
        'TRUNCATE audit_log',
        'SET session_replication_role = replica',
        `DELETE FROM audit_chain_anchor WHERE chain_key = 'ticket:${ticket.id}'`,
      ]) {
        await expect(runtime.query(sql)).rejects.toMatchObject({
          code: expect.stringMatching(/^42501$/) as string, // insufficient_privilege
        });
      }
    } finally {
      await runtime.end();
    }
  });

  it('reports a truncated tail when a chain’s last anchored entry is removed', async () => {
    const admin = await createStaff(t, 'admin');
    const verify = async () =>
      (await t.http.get('/api/v1/admin/audit-logs/verify').set(admin.auth).expect(200)).body;
    const ticket = await openPublicTicket(t);
    await t.http
      .patch(`/api/v1/admin/tickets/${ticket.id}`)
      .set(admin.auth)
      .send({ priority: 'high' })
      .expect(200);
    const chainKey = `ticket:${ticket.id}`;
    const chain: Array<{ id: string; chain_seq: string }> = await t.app
      .get(DataSource)
      .query(`SELECT id, chain_seq FROM audit_log WHERE chain_key = $1 ORDER BY chain_seq`, [
        chainKey,
      ]);
    expect(chain.length).toBeGreaterThanOrEqual(2);
    const last = chain[chain.length - 1];
    const before = chain[chain.length - 2];

    // As a superuser, behind the append-only trigger's back: remove the tail, then put it back.
    await asOwner(async (c) => {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`CREATE TEMP TABLE removed_tail AS SELECT * FROM audit_log WHERE id = $1`, [
        last.id,
      ]);
      await c.query(`DELETE FROM audit_log WHERE id = $1`, [last.id]);
      try {
        const report = await verify();
        expect(report).toMatchObject({ valid: false });
        expect(report.truncated_chains).toContain(chainKey);
        if (report.reason === 'truncated_tail' && report.truncated_chains.length === 1) {
          expect(report.first_invalid_id).toBe(before.id);
        }
      } finally {
        await c.query(`INSERT INTO audit_log SELECT * FROM removed_tail`);
      }
    });
    const restored = await verify();
    expect(restored.truncated_chains ?? []).not.toContain(chainKey);
  });
});
