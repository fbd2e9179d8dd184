import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  eventually,
  openPublicTicket,
  TEST_PASSWORD,
  uniqueEmail,
  waitForMails,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { routesOf } from '@helpdesk/testing/routes';
import { tinyPng } from '@helpdesk/testing/sample-files';
import { RatingLinks } from 'src/ratings/rating-links';

/**
 * `@Audited('x')` is a promise that a successful call writes an audit entry with action `x`
 * (route-access.e2e-spec.ts only checks that it is declared). Each audited route is called once,
 * successfully, and the entries its request wrote (by X-Request-Id) must include `x`. A route
 * with no call here fails the first test, so a new audited route needs one.
 */
describe('every @Audited route writes its action', () => {
  let t: TestApp;
  let db: DataSource;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const resolved = async () => {
    const ticket = await openPublicTicket(t);
    await t.http
      .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
      .set(agent.auth)
      .send({ status: 'resolved', resolution_notes: 'done' })
      .expect(200);
    return ticket;
  };
  const webhook = async () =>
    (
      await t.http
        .post('/api/v1/admin/webhooks')
        .set(admin.auth)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['ticket.created'] })
        .expect(201)
    ).body;

  /** One successful call per audited route, keyed as the route walker names routes. */
  const calls: Record<string, () => Promise<Response>> = {
    'POST /api/v1/auth/login': async () =>
      t.http.post('/api/v1/auth/login').send({ email: agent.user.email, password: TEST_PASSWORD }),
    'POST /api/v1/auth/magic-link/verify': async () => {
      const customer = await createCustomer(t);
      await t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email }).expect(202);
      const mail = (await waitForMails(t.config.mailDir, customer.user.email)).pop();
      const token = mail?.match(/sign-in\?token=([A-Za-z0-9_-]+)/)?.[1];
      return t.http.post('/api/v1/auth/magic-link/verify').send({ token });
    },
    'POST /api/v1/admin/users': async () =>
      t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .send({ email: uniqueEmail('new'), name: 'New', role: 'support', password: TEST_PASSWORD }),
    'PATCH /api/v1/admin/users/:id': async () => {
      const someone = await createStaff(t, 'support');
      return t.http
        .patch(`/api/v1/admin/users/${someone.user.id}`)
        .set(admin.auth)
        .send({ name: 'Renamed' });
    },
    'POST /api/v1/admin/api-keys': async () =>
      t.http.post('/api/v1/admin/api-keys').set(admin.auth).send({ name: 'k', role: 'support' }),
    'DELETE /api/v1/admin/api-keys/:id': async () => {
      const key = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'k', role: 'support' });
      return t.http.delete(`/api/v1/admin/api-keys/${key.body.id}`).set(admin.auth);
    },
    'POST /api/v1/tickets': async () =>
      t.http
        .post('/api/v1/tickets')
        .send({ name: 'A', email: uniqueEmail('a'), subject: 's', message: 'm' }),
    'POST /api/v1/admin/tickets': async () =>
      t.http
        .post('/api/v1/admin/tickets')
        .set(agent.auth)
        .send({ requester_email: uniqueEmail('p'), subject: 's', message: 'm' }),
    'PATCH /api/v1/admin/tickets/:id': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ subject: 'new subject' });
    },
    'DELETE /api/v1/admin/tickets/:id': async () => {
      const ticket = await openPublicTicket(t);
      return t.http.delete(`/api/v1/admin/tickets/${ticket.id}`).set(admin.auth);
    },
    'PATCH /api/v1/admin/tickets/:id/status': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(agent.auth)
        .send({ status: 'in_progress' });
    },
    'PATCH /api/v1/admin/tickets/:id/assignee': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/assignee`)
        .set(agent.auth)
        .send({ assignee_id: agent.user.id });
    },
    'POST /api/v1/admin/tickets/:id/replies': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'hi' });
    },
    'POST /api/v1/portal/tickets/:id/messages': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
        .set('X-Ticket-Token', ticket.accessToken)
        .send({ body: 'more' });
    },
    'POST /api/v1/admin/tickets/:id/notes': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .send({ body: 'note' });
    },
    'DELETE /api/v1/admin/tickets/:id/notes/:noteId': async () => {
      const ticket = await openPublicTicket(t);
      const note = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .send({ body: 'note' });
      return t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.body.id}`)
        .set(agent.auth);
    },
    'POST /api/v1/admin/tickets/:id/attachments': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(agent.auth)
        .attach('files', tinyPng(), 'a.png');
    },
    'POST /api/v1/portal/tickets/:id/attachments': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/attachments`)
        .set('X-Ticket-Token', ticket.accessToken)
        .attach('files', tinyPng(), 'a.png');
    },
    'DELETE /api/v1/attachments/:id': async () => {
      const ticket = await openPublicTicket(t);
      const upload = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(agent.auth)
        .attach('files', tinyPng(), 'a.png');
      return t.http.delete(`/api/v1/attachments/${upload.body.items[0].id}`).set(agent.auth);
    },
    'POST /api/v1/admin/tickets/:id/access-token/rotate': async () => {
      const ticket = await openPublicTicket(t);
      return t.http.post(`/api/v1/admin/tickets/${ticket.id}/access-token/rotate`).set(agent.auth);
    },
    'POST /api/v1/portal/tickets/:id/access-token/rotate': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/access-token/rotate`)
        .set('X-Ticket-Token', ticket.accessToken);
    },
    'POST /api/v1/admin/tickets/:id/escalate': async () => {
      const ticket = await openPublicTicket(t);
      return t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/escalate`)
        .set(manager.auth)
        .send({ reason: 'urgent' });
    },
    'POST /api/v1/portal/tickets/:id/rating': async () => {
      const ticket = await resolved();
      return t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/rating`)
        .set('X-Ticket-Token', ticket.accessToken)
        .send({ score: 5 });
    },
    'POST /api/v1/ratings/:token': async () => {
      const ticket = await resolved();
      const token = t.app.get(RatingLinks).linkFor(ticket.id).split('/').pop()!;
      return t.http.post(`/api/v1/ratings/${token}`).send({ score: 4 });
    },
    'PUT /api/v1/admin/sla-policies/:priority': async () =>
      t.http
        .put('/api/v1/admin/sla-policies/low')
        .set(admin.auth)
        .send({ first_response_minutes: 1000, resolution_minutes: 5000, business_hours: false }),
    'PUT /api/v1/admin/business-hours': async () =>
      t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send({
          timezone: 'UTC',
          weekly: [{ day: 1, start: '09:00', end: '17:00' }],
          holidays: [],
        }),
    'POST /api/v1/admin/notifications/:id/retry': async () => {
      const ticket = await openPublicTicket(t);
      const [row] = await db.query(
        `UPDATE notification SET status = 'failed'
          WHERE id = (SELECT id FROM notification WHERE ticket_id = $1 LIMIT 1) RETURNING id`,
        [ticket.id],
      );
      return t.http.post(`/api/v1/admin/notifications/${row[0].id}/retry`).set(admin.auth);
    },
    'POST /api/v1/admin/webhooks': async () =>
      t.http
        .post('/api/v1/admin/webhooks')
        .set(admin.auth)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['*'] }),
    'PATCH /api/v1/admin/webhooks/:id': async () => {
      const hook = await webhook();
      return t.http
        .patch(`/api/v1/admin/webhooks/${hook.id}`)
        .set(admin.auth)
        .send({ active: false });
    },
    'DELETE /api/v1/admin/webhooks/:id': async () => {
      const hook = await webhook();
      return t.http.delete(`/api/v1/admin/webhooks/${hook.id}`).set(admin.auth);
    },
    'POST /api/v1/admin/webhooks/:id/deliveries/:deliveryId/redeliver': async () => {
      const hook = await webhook();
      await openPublicTicket(t);
      // Deliveries are planned when the event is sequenced, just after the commit.
      const delivery = await eventually(async () => {
        const [rows] = await db.query(
          `UPDATE webhook_delivery SET status = 'failed'
            WHERE id = (SELECT id FROM webhook_delivery WHERE webhook_id = $1 LIMIT 1) RETURNING id`,
          [hook.id],
        );
        return rows[0] as { id: string } | undefined;
      });
      return t.http
        .post(`/api/v1/admin/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`)
        .set(admin.auth);
    },
  };

  const audited = () =>
    routesOf(t).filter((r): r is typeof r & { audited: string } => typeof r.audited === 'string');

  it('has a call for every audited route (add one with a new @Audited route)', () => {
    const routes = audited().map((r) => r.route);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => !calls[route])).toEqual([]);
  });

  it.each(Object.keys(calls))('%s', async (route) => {
    const declared = audited().find((r) => r.route === route);
    expect(declared).toBeDefined();
    const res = await calls[route]();
    expect(res.status).toBeLessThan(300);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toEqual(expect.any(String));
    const rows: Array<{ action: string }> = await db.query(
      'SELECT action FROM audit_log WHERE request_id = $1',
      [requestId],
    );
    expect(rows.map((row) => row.action)).toContain(declared!.audited);
  });
});
