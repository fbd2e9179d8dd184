import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { Notification } from 'src/notifications/notification.entity';
import { NOTIFICATIONS_QUEUE } from 'src/notifications/notifications.constants';
import {
  createTestApp,
  eventually,
  openPublicTicket,
  sleep,
  startSmtpServer,
  type TestApp,
  type TestSmtpServer,
} from '@helpdesk/testing';

// Two processes one after the other, sharing PostgreSQL and a queue of their own.
describe('notifications across APP_ROLE=api and APP_ROLE=worker processes', () => {
  let smtp: TestSmtpServer;
  let api: TestApp | undefined;
  let worker: TestApp | undefined;

  const env = () => ({
    SMTP_URL: smtp.url,
    REDIS_PREFIX: `${process.env.REDIS_PREFIX}:roles`,
    MAIL_SWEEP_INTERVAL_MS: '300',
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await smtp?.close();
  });

  it('an API-only process enqueues without delivering; a worker-only process delivers', async () => {
    api = await createTestApp({ ...env(), APP_ROLE: 'api' });
    // The intake's receipt (a magic-link request is only a queue job until a worker runs it).
    const { email } = await openPublicTicket(api);

    const outbox = api.app.get(DataSource).getRepository(Notification);
    const queued = await eventually(async () => {
      const [notification] = await outbox.findBy({ recipient: email });
      return notification?.queuedAt && notification;
    });
    const job = await api.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE)).getJob(queued.id);
    expect(await job?.getState()).toBe('waiting');
    await sleep(500);
    expect(smtp.mailsTo(email)).toHaveLength(0);
    expect((await outbox.findOneByOrFail({ id: queued.id })).status).toBe('pending');
    await api.close();
    api = undefined;

    worker = await createTestApp({ ...env(), APP_ROLE: 'worker' });
    await smtp.waitForMails(email);
    const sent = await eventually(async () => {
      const notification = await worker!.app
        .get(DataSource)
        .getRepository(Notification)
        .findOneByOrFail({ id: queued.id });
      return notification.status === 'sent' && notification;
    });
    expect(sent.attempts).toBe(1);
    expect(smtp.mailsTo(email)).toHaveLength(1);
  });
});
