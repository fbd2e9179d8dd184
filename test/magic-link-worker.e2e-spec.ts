import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { MAGIC_LINKS_QUEUE } from 'src/auth/magic-links.constants';
import {
  createCustomer,
  createTestApp,
  drainQueue,
  mailsIn,
  uniqueEmail,
  waitForMails,
  type TestApp,
} from '@helpdesk/testing';

// Issue 21: a magic-link request does the same work whether or not the address exists — it
// only enqueues; the lookup, the token and the email happen in a worker. Two processes one
// after the other (APP_ROLE=api, then APP_ROLE=worker) on a queue of their own.
describe('magic-link requests are only enqueued; the worker does the lookup', () => {
  let api: TestApp | undefined;
  let worker: TestApp | undefined;
  const env = { REDIS_PREFIX: `${process.env.REDIS_PREFIX}:magic` };

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('answers 202 with one job for an existing and an unknown address, and only the customer gets an email', async () => {
    api = await createTestApp({ ...env, APP_ROLE: 'api' });
    const db = api.app.get(DataSource);
    const customer = await createCustomer(api);
    const unknown = uniqueEmail('nobody');
    const queue = api.app.get<Queue>(getQueueToken(MAGIC_LINKS_QUEUE));
    await queue.empty();

    const existing = await api.http
      .post('/api/v1/auth/magic-link')
      .send({ email: customer.user.email })
      .expect(202);
    const missing = await api.http
      .post('/api/v1/auth/magic-link')
      .send({ email: unknown })
      .expect(202);
    expect(existing.body).toEqual(missing.body);

    // The same work on the request path: one job each, and nothing looked up or written yet.
    const jobs = await queue.getWaiting();
    expect(jobs.map((job) => job.data)).toEqual(
      expect.arrayContaining([{ email: customer.user.email }, { email: unknown }]),
    );
    expect(jobs).toHaveLength(2);
    const tokens: unknown[] = await db.query('SELECT 1 FROM magic_link_token WHERE user_id = $1', [
      customer.user.id,
    ]);
    expect(tokens).toHaveLength(0);
    const planned: unknown[] = await db.query(
      'SELECT 1 FROM notification WHERE recipient IN ($1, $2)',
      [customer.user.email, unknown],
    );
    expect(planned).toHaveLength(0);
    await api.close();
    api = undefined;

    worker = await createTestApp({ ...env, APP_ROLE: 'worker' });
    await waitForMails(worker.config.mailDir, customer.user.email);
    await drainQueue(worker.app.get<Queue>(getQueueToken(MAGIC_LINKS_QUEUE)));
    expect(mailsIn(worker.config.mailDir, customer.user.email)).toHaveLength(1);
    expect(mailsIn(worker.config.mailDir, unknown)).toHaveLength(0);
    const unknownPlanned: unknown[] = await worker.app
      .get(DataSource)
      .query('SELECT 1 FROM notification WHERE recipient = $1', [unknown]);
    expect(unknownPlanned).toHaveLength(0);
  });
});
