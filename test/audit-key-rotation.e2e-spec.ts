import { DataSource } from 'typeorm';
import { createStaff, createTestApp, type TestApp } from '@helpdesk/testing';

// Rotating AUDIT_HMAC_KEY (docs/audit.md). The rotated apps only read: an entry signed with a
// key the other specs do not know would make their verify fail. Signing with the new key after
// a rotation is covered by src/audit/audit-chain.spec.ts.
describe('audit log key rotation', () => {
  const oldKey = process.env.AUDIT_HMAC_KEY!;
  const newKey = 'rotated-audit-hmac-key-that-is-long-enough-0123456789';
  const apps: TestApp[] = [];
  let apiKey: string;

  beforeAll(async () => {
    const t = await createTestApp();
    apps.push(t);
    const admin = await createStaff(t, 'admin');
    // An API key, so the rotated apps can be called without signing a token or writing anything.
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Rotation check', role: 'admin' })
      .expect(201);
    apiKey = created.body.key;
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  const verifyWith = async (env: Record<string, string>) => {
    const t = await createTestApp(env);
    apps.push(t);
    return (
      await t.http.get('/api/v1/admin/audit-logs/verify').set('X-API-Key', apiKey).expect(200)
    ).body;
  };

  it('still verifies the old entries once the old key is listed in AUDIT_HMAC_PREVIOUS_KEYS', async () => {
    expect(
      await verifyWith({ AUDIT_HMAC_KEY: newKey, AUDIT_HMAC_PREVIOUS_KEYS: oldKey }),
    ).toMatchObject({ valid: true, checked: expect.any(Number) });
  });

  it('reports the first entry as signed with an unknown key when the old key is dropped', async () => {
    const [first] = await apps[0].app
      .get(DataSource)
      .query(`SELECT id FROM audit_log ORDER BY occurred_at, id LIMIT 1`);
    expect(
      await verifyWith({ AUDIT_HMAC_KEY: newKey, AUDIT_HMAC_PREVIOUS_KEYS: '' }),
    ).toMatchObject({ valid: false, first_invalid_id: first.id, reason: 'unknown_key' });
  });
});
