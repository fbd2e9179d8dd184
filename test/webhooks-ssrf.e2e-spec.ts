import { DataSource } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import {
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { eventually } from '@helpdesk/testing';
import { startWebhookReceiver } from '@helpdesk/testing/webhook-receiver';
import { WebhookSecrets } from 'src/webhooks/webhook-secrets';
import { newWebhookSecret } from 'src/webhooks/webhook-signature';

// A spec file of its own: this app refuses private targets, and passport's strategies are
// process-wide, so it must be the only app booted here.
describe('webhook targets on private addresses (WEBHOOKS_ALLOW_PRIVATE=false)', () => {
  let t: TestApp;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'false', WEBHOOK_RETRY_BASE_MS: '100' });
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.8/hook',
    'http://172.20.1.1/hook',
    'https://192.168.1.10/hook',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://224.0.0.1/hook',
    'http://2130706433/hook', // 127.0.0.1 as one number
    'http://0x7f.1/hook',
    'http://[64:ff9b:1::a00:1]/hook', // local-use NAT64 (issue 21)
    'http://192.31.196.1/hook', // AS112-v4
  ])('refuses %s with 422', async (url) => {
    const res = await t.http
      .post('/api/v1/admin/webhooks')
      .set(admin.auth)
      .send({ url, events: ['*'] })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'url', message: expect.stringMatching(/non-public address/) },
    ]);
  });

  it('refuses a public address on a port other than 80 or 443 (issue 21)', async () => {
    const res = await t.http
      .post('/api/v1/admin/webhooks')
      .set(admin.auth)
      .send({ url: 'https://93.184.215.14:8443/hook', events: ['*'] })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'url', message: expect.stringMatching(/may not use port 8443/) },
    ]);
  });

  it('accepts a public address, and refuses to be moved onto a private one', async () => {
    const created = await t.http
      .post('/api/v1/admin/webhooks')
      .set(admin.auth)
      .send({ url: 'https://93.184.215.14/hook', events: ['ticket.rated'] })
      .expect(201);
    try {
      const res = await t.http
        .patch(`/api/v1/admin/webhooks/${created.body.id}`)
        .set(admin.auth)
        .send({ url: 'http://127.0.0.1/hook' })
        .expect(422);
      expect(res.body.errors[0].field).toBe('url');
    } finally {
      await t.http.delete(`/api/v1/admin/webhooks/${created.body.id}`).set(admin.auth).expect(204);
    }
  });

  it('checks again at delivery time, and sends nothing to a target that now resolves privately', async () => {
    const receiver = await startWebhookReceiver();
    // As if the host had resolved publicly when the webhook was saved and privately now.
    const id = uuidv7();
    const secrets = t.app.get(WebhookSecrets);
    await t.app
      .get(DataSource)
      .query('INSERT INTO webhook (id, url, events, secret_ciphertext) VALUES ($1, $2, $3, $4)', [
        id,
        receiver.url,
        ['ticket.created'],
        secrets.seal(newWebhookSecret(), id),
      ]);
    try {
      await openPublicTicket(t);
      const [delivery] = await eventually(
        async () => {
          const res = await t.http
            .get(`/api/v1/admin/webhooks/${id}/deliveries`)
            .set(admin.auth)
            .expect(200);
          return res.body.items[0]?.attempts >= 2 && res.body.items;
        },
        { what: 'two refused attempts', timeoutMs: 20_000 },
      );
      expect(delivery).toMatchObject({ status: 'pending', response_status: null });
      expect(delivery.last_error).toMatch(/non-public address \(127\.0\.0\.1: loopback\)/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await t.http.delete(`/api/v1/admin/webhooks/${id}`).set(admin.auth).expect(204);
      await receiver.close();
    }
  });
});
