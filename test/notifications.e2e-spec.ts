import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, UnitOfWork, uuidv7 } from '@helpdesk/common';
import { Notification } from 'src/notifications/notification.entity';
import { NotificationRelay } from 'src/notifications/notification-relay';
import { REDACTED_BODY } from 'src/notifications/notifications.repository';
import {
  NotificationsService,
  type PlanNotification,
} from 'src/notifications/notifications.service';
import type { NotificationEvent } from 'src/notifications/notification-events';
import {
  createCustomer,
  createStaff,
  createTestApp,
  drained,
  eventually,
  startSmtpServer,
  uniqueEmail,
  type TestApp,
  type TestSmtpServer,
} from '@helpdesk/testing';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('notifications (API.md section 9)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Helpdesk <support@helpdesk.test>',
      MAIL_MAX_ATTEMPTS: '4',
      MAIL_RETRY_BASE_MS: '50',
      MAIL_SWEEP_INTERVAL_MS: '300',
    });
  });

  afterEach(() => {
    smtp.verdict = () => 'accept';
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** Plans inside a unit of work, as a service would. */
  const plan = <E extends NotificationEvent>(input: PlanNotification<E>) =>
    t.app
      .get(UnitOfWork)
      .run(() => t.app.get(NotificationsService).plan(input), { actor: SYSTEM_ACTOR });

  const row = (id: string) =>
    t.app.get(DataSource).getRepository(Notification).findOneByOrFail({ id });

  const replyTo = (
    to: string | string[],
    ticket = { id: uuidv7(), number: 42, subject: 'Printer on fire' },
  ) =>
    plan({
      event: 'agent_reply',
      to,
      ticket,
      data: {
        customer_name: 'Ada',
        agent_name: 'Grace',
        reply_text: 'Turn it off <b>now</b>.\nThen on again.',
        portal_url: `http://helpdesk.test/portal/tickets/${ticket.id}`,
      },
    });

  describe('delivery over SMTP', () => {
    it('delivers the magic link with the right recipient, subject and a working link', async () => {
      const customer = await createCustomer(t, { name: 'Ada Lovelace' });
      await t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email }).expect(202);

      const [mail] = await smtp.waitForMails(customer.user.email);
      expect(mail.to).toEqual([customer.user.email]);
      expect(mail.subject).toBe('Your sign-in link');
      expect(mail.headers.from).toBe('Helpdesk <support@helpdesk.test>');
      expect(mail.headers['message-id']).toMatch(new RegExp(`^<${UUID}@helpdesk\\.test>$`));
      expect(mail.headers['in-reply-to']).toBeUndefined();
      expect(mail.text).toContain('Hello Ada Lovelace,');
      expect(mail.html).toContain('Hello Ada Lovelace,');
      const token = /http:\/\/helpdesk\.test\/portal\/sign-in\?token=([A-Za-z0-9_-]+)/.exec(
        mail.text,
      )?.[1];
      expect(token).toBeDefined();
      const signedIn = await t.http
        .post('/api/v1/auth/magic-link/verify')
        .send({ token })
        .expect(200);
      expect(signedIn.body.user.id).toBe(customer.user.id);

      // Delivered once, recorded as sent, and the sign-in link no longer sits in the outbox.
      const id = /^<([^@]+)@/.exec(mail.headers['message-id'])![1];
      const sent = await eventually(async () => {
        const notification = await row(id);
        return notification.status === 'sent' && notification;
      });
      expect(sent).toMatchObject({ event: 'magic_link', attempts: 1, textBody: REDACTED_BODY });
      expect(sent.sentAt).toBeInstanceOf(Date);
      expect(sent.htmlBody).not.toContain(token);
      expect(smtp.mailsTo(customer.user.email)).toHaveLength(1);
    });

    it('threads emails about a ticket and routes replies back to it', async () => {
      const to = uniqueEmail('threaded');
      const ticket = { id: uuidv7(), number: 42, subject: 'Printer on fire' };
      const [reply] = await replyTo(to, ticket);
      const [resolved] = await plan({
        event: 'ticket_resolved',
        to,
        ticket,
        data: {
          customer_name: 'Ada',
          resolution_notes: 'We replaced the fuser.',
          rating_url: `http://helpdesk.test/portal/tickets/${ticket.id}/rating`,
          portal_url: `http://helpdesk.test/portal/tickets/${ticket.id}`,
        },
      });

      const mails = await smtp.waitForMails(to, 2);
      const byId = (id: string) =>
        mails.find((m) => m.headers['message-id'] === `<${id}@helpdesk.test>`)!;
      const root = `<ticket-${ticket.id}@helpdesk.test>`;
      for (const [notification, mail] of [
        [reply, byId(reply.id)],
        [resolved, byId(resolved.id)],
      ] as const) {
        expect(mail).toBeDefined();
        expect(mail.to).toEqual([to]);
        expect(notification.recipient).toBe(to);
        expect(mail.subject).toBe('[#42] Printer on fire');
        expect(mail.headers['in-reply-to']).toBe(root);
        expect(mail.headers.references).toBe(root);
        expect(mail.headers['reply-to']).toBe(`support+t${ticket.id}@helpdesk.test`);
        expect(mail.headers['auto-submitted']).toBe('auto-generated');
      }
      expect(byId(reply.id).text).toContain('Grace replied to your ticket #42:');
      expect(byId(reply.id).text).toContain('Turn it off <b>now</b>.\nThen on again.');
      expect(byId(reply.id).html).toContain('Turn it off &lt;b&gt;now&lt;/b&gt;.<br>');
      expect(byId(resolved.id).text).toContain('We replaced the fuser.');
      expect(byId(resolved.id).text).toContain(`/portal/tickets/${ticket.id}/rating`);
    });

    it('sends one email per distinct recipient', async () => {
      const first = uniqueEmail('first');
      const second = uniqueEmail('second');
      const planned = await replyTo([first, second, first.toUpperCase()]);
      expect(planned.map((p) => p.recipient)).toEqual([first, second]);
      await smtp.waitForMails(first);
      await smtp.waitForMails(second);
    });

    it('gets the mail through exactly once when the server answers 451 three times first', async () => {
      const to = uniqueEmail('greylisted');
      smtp.verdict = (address, attempt) =>
        address === to && attempt <= 3
          ? { code: 451, message: '4.7.1 Greylisted, try again later' }
          : 'accept';
      const [planned] = await replyTo(to);

      await smtp.waitForMails(to);
      const sent = await eventually(async () => {
        const notification = await row(planned.id);
        return notification.status === 'sent' && notification;
      });
      await drained(t); // a duplicate would have been sent by now
      expect(smtp.mailsTo(to)).toHaveLength(1);
      expect(smtp.attempts.get(to)).toBe(4);
      expect(sent.attempts).toBe(4);
      expect(sent.lastError).toMatch(/451/);
    });

    it('gives up after MAIL_MAX_ATTEMPTS, lists the failure, and re-sends it on retry', async () => {
      const admin = await createStaff(t, 'admin');
      const to = uniqueEmail('refused');
      smtp.verdict = (address) =>
        address === to ? { code: 451, message: '4.3.0 Mailbox temporarily unavailable' } : 'accept';
      const [planned] = await replyTo(to);

      const failed = await eventually(async () => {
        const notification = await row(planned.id);
        return notification.status === 'failed' && notification;
      });
      expect(failed.attempts).toBe(4);
      expect(failed.lastError).toMatch(/451 4\.3\.0 Mailbox temporarily unavailable/);
      expect(smtp.attempts.get(to)).toBe(4);
      expect(smtp.mailsTo(to)).toHaveLength(0);

      const list = await t.http
        .get('/api/v1/admin/notifications?status=failed&limit=200')
        .set(admin.auth)
        .expect(200);
      expect(list.body).toMatchObject({ page: 1, limit: 200 });
      expect(list.body.items.every((n: { status: string }) => n.status === 'failed')).toBe(true);
      expect(list.body.items.find((n: { id: string }) => n.id === planned.id)).toEqual({
        id: planned.id,
        event: 'agent_reply',
        recipient: to,
        subject: '[#42] Printer on fire',
        status: 'failed',
        attempts: 4,
        last_error: expect.stringMatching(/451/),
        ticket_id: failed.ticketId,
        next_attempt_at: null,
        created_at: failed.createdAt.toISOString(),
        sent_at: null,
      });

      smtp.verdict = () => 'accept'; // the server recovers
      const retried = await t.http
        .post(`/api/v1/admin/notifications/${planned.id}/retry`)
        .set(admin.auth)
        .expect(202);
      expect(retried.body).toMatchObject({ id: planned.id, status: 'pending', attempts: 0 });

      await smtp.waitForMails(to);
      const sent = await eventually(async () => {
        const notification = await row(planned.id);
        return notification.status === 'sent' && notification;
      });
      expect(sent.attempts).toBe(1);
      await drained(t);
      expect(smtp.mailsTo(to)).toHaveLength(1);

      const again = await t.http
        .post(`/api/v1/admin/notifications/${planned.id}/retry`)
        .set(admin.auth)
        .expect(409);
      expect(again.body.code).toBe('CONFLICT');
      const sentList = await t.http
        .get('/api/v1/admin/notifications?status=sent&limit=200')
        .set(admin.auth)
        .expect(200);
      expect(sentList.body.items.map((n: { id: string }) => n.id)).toContain(planned.id);
    });

    it('stops at once on a permanent (5xx) refusal', async () => {
      const to = uniqueEmail('unknown-user');
      smtp.verdict = (address) =>
        address === to ? { code: 550, message: '5.1.1 No such user' } : 'accept';
      const [planned] = await replyTo(to);
      const failed = await eventually(async () => {
        const notification = await row(planned.id);
        return notification.status === 'failed' && notification;
      });
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toMatch(/550 5\.1\.1 No such user/);
      await drained(t);
      expect(smtp.attempts.get(to)).toBe(1);
    });
  });

  describe('the outbox', () => {
    it('keeps nothing and sends nothing when the unit of work rolls back', async () => {
      const to = uniqueEmail('rolled-back');
      await expect(
        t.app.get(UnitOfWork).run(async () => {
          await t.app.get(NotificationsService).plan({
            event: 'magic_link',
            to,
            data: { name: 'Ada', sign_in_url: 'http://helpdesk.test/x', expires_in_minutes: 15 },
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');

      const rows = await t.app
        .get(DataSource)
        .getRepository(Notification)
        .countBy({ recipient: to });
      expect(rows).toBe(0);
      // A notification planned afterwards arrives; the rolled-back one never does.
      const sentinel = uniqueEmail('sentinel');
      await replyTo(sentinel);
      await smtp.waitForMails(sentinel);
      await drained(t);
      expect(smtp.mailsTo(to)).toHaveLength(0);
    });

    it('refuses to plan outside a unit of work', async () => {
      await expect(
        t.app.get(NotificationsService).plan({
          event: 'magic_link',
          to: uniqueEmail('nowhere'),
          data: { name: 'Ada', sign_in_url: 'http://helpdesk.test/x', expires_in_minutes: 15 },
        }),
      ).rejects.toThrow(/outside a unit of work/);
    });

    it('sweeps up rows that never reached the queue, and rows whose job was lost', async () => {
      const repository = t.app.get(DataSource).getRepository(Notification);
      const row = (to: string, queuedAt: Date | null) =>
        repository.create({
          event: 'magic_link',
          recipient: to,
          subject: 'Swept',
          textBody: 'swept',
          htmlBody: '<p>swept</p>',
          messageIdHeader: `<${uuidv7()}@helpdesk.test>`,
          referencesHeader: [],
          queuedAt,
        });
      const neverQueued = uniqueEmail('never-queued');
      const lost = uniqueEmail('lost-job');
      const recentlyQueued = uniqueEmail('recently-queued');
      // Written behind the relay's back (no wake): only the interval sweep can find them.
      await repository.insert([
        row(neverQueued, null),
        row(lost, new Date(Date.now() - 10 * 60_000)),
        row(recentlyQueued, new Date(Date.now() - 60_000)),
      ]);

      await smtp.waitForMails(neverQueued);
      await smtp.waitForMails(lost);
      // Sweeps ran (the interval's and these): the recently queued row is still left alone.
      for (let sweep = 0; sweep < 3; sweep++) await t.app.get(NotificationRelay).relayPending();
      await drained(t);
      // Queued a minute ago and presumably still on the queue: left alone.
      expect(smtp.mailsTo(recentlyQueued)).toHaveLength(0);
      expect(smtp.mailsTo(neverQueued)).toHaveLength(1);
      expect(smtp.mailsTo(lost)).toHaveLength(1);
      await repository.delete({ recipient: recentlyQueued });
    });

    it('exposes queue depth and outbox counts to /metrics', async () => {
      const res = await t.http.get('/metrics').expect(200);
      expect(res.text).toMatch(/^queue_jobs\{queue="notifications",state="waiting"\} \d+$/m);
      expect(res.text).toMatch(/^queue_jobs\{queue="notifications",state="delayed"\} \d+$/m);
      expect(res.text).toMatch(/^notification_outbox\{status="pending"\} \d+$/m);
      expect(res.text).toMatch(/^notification_outbox\{status="failed"\} [1-9]\d*$/m);
    });
  });

  describe('admin endpoints', () => {
    it('are for admins only', async () => {
      const manager = await createStaff(t, 'support_manager');
      const customer = await createCustomer(t);
      const id = uuidv7();
      await t.http.get('/api/v1/admin/notifications').expect(401);
      await t.http.post(`/api/v1/admin/notifications/${id}/retry`).expect(401);
      for (const caller of [manager, customer]) {
        const list = await t.http.get('/api/v1/admin/notifications').set(caller.auth).expect(403);
        expect(list.body.code).toBe('FORBIDDEN');
        await t.http.post(`/api/v1/admin/notifications/${id}/retry`).set(caller.auth).expect(403);
      }
    });

    it('pages newest first and validates the query', async () => {
      const admin = await createStaff(t, 'admin');
      const to = uniqueEmail('paged');
      const [older] = await replyTo(to);
      const [newer] = await replyTo(to);
      const page = await t.http
        .get('/api/v1/admin/notifications?limit=2')
        .set(admin.auth)
        .expect(200);
      expect(page.body).toMatchObject({ page: 1, limit: 2 });
      expect(page.body.total).toBeGreaterThanOrEqual(2);
      expect(page.body.total_pages).toBe(Math.ceil(page.body.total / 2));
      expect(page.body.items.map((n: { id: string }) => n.id)).toEqual([newer.id, older.id]);

      for (const query of ['status=sending', 'limit=201', 'page=0', 'limit=abc']) {
        const res = await t.http
          .get(`/api/v1/admin/notifications?${query}`)
          .set(admin.auth)
          .expect(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('answers 404 for an unknown notification and 422 for a malformed id', async () => {
      const admin = await createStaff(t, 'admin');
      const unknown = await t.http
        .post(`/api/v1/admin/notifications/${uuidv7()}/retry`)
        .set(admin.auth)
        .expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      await t.http.post('/api/v1/admin/notifications/nope/retry').set(admin.auth).expect(422);
    });
  });
});
