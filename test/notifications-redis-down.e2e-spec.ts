import { DataSource } from 'typeorm';
import { Notification } from 'src/notifications/notification.entity';
import {
  createTestApp,
  eventually,
  openPublicTicket,
  sleep,
  startSmtpServer,
  throwawayRedis,
  type TestApp,
  type TestSmtpServer,
  type ThrowawayRedis,
  uniqueEmail,
} from '@helpdesk/testing';

// A spec file of its own: this app's Redis is a private redis-server that the test stops and
// starts again (never the shared one on 6379).
describe('notifications while Redis is down', () => {
  let redis: ThrowawayRedis;
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    redis = await throwawayRedis();
    smtp = await startSmtpServer();
    t = await createTestApp({
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      MAIL_RETRY_BASE_MS: '50',
      MAIL_SWEEP_INTERVAL_MS: '300',
    });
  });

  afterAll(async () => {
    await redis?.start(); // the queue closes cleanly only with its Redis there
    await t?.close();
    await redis?.stop();
    await smtp?.close();
  });

  it('still plans the email, and delivers it exactly once when Redis is back', async () => {
    // The intake's receipt (a magic-link request is a queue job, which needs Redis: 503 then).
    const email = uniqueEmail('redis-down');
    await redis.stop();

    const started = Date.now();
    const ticket = await openPublicTicket(t, { email, subject: 'Redis is down' });
    expect(Date.now() - started).toBeLessThan(2_000); // the answer does not wait for Redis

    const outbox = t.app.get(DataSource).getRepository(Notification);
    const [planned] = await outbox.findBy({ recipient: email });
    expect(planned).toMatchObject({ event: 'ticket_created', status: 'pending' });
    await sleep(1_000); // a few sweeps
    // It waits in the outbox, not yet on any queue.
    expect(await outbox.findOneByOrFail({ id: planned.id })).toMatchObject({
      status: 'pending',
      queuedAt: null,
      attempts: 0,
    });
    expect(smtp.mailsTo(email)).toHaveLength(0);

    await redis.start();
    await smtp.waitForMails(email, 1, 30_000);
    const sent = await eventually(async () => {
      const notification = await outbox.findOneByOrFail({ id: planned.id });
      return notification.status === 'sent' && notification;
    });
    expect(sent.attempts).toBe(1);
    await sleep(1_000); // several sweeps: nothing goes out twice
    expect(smtp.mailsTo(email)).toHaveLength(1);
    expect(smtp.mailsTo(email)[0].subject).toBe(`[#${ticket.number}] Redis is down`);
  });
});
