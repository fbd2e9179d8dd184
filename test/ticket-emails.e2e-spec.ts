import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  eventually,
  startSmtpServer,
  uniqueEmail,
  type ReceivedMail,
  type SignedInUser,
  type TestApp,
  type TestSmtpServer,
} from '@helpdesk/testing';

describe('ticket emails over real SMTP (API.md section 9)', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '100' });
    agent = await createStaff(t, 'support', { name: 'Agent Ada' });
    manager = await createStaff(t, 'support_manager', { name: 'Manager Max' });
  });

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const mailsTo = (address: string) =>
    smtp.received.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  const waitForMail = (address: string, subject: RegExp): Promise<ReceivedMail> =>
    eventually(() => mailsTo(address).find((m) => subject.test(m.subject)), {
      what: `a mail to ${address} matching ${subject}`,
    });

  it('sends the requester a receipt with the number and a portal link carrying the access token, threaded', async () => {
    const email = uniqueEmail('receipt');
    const res = await t.http
      .post('/api/v1/tickets')
      .send({ name: 'Rita Receipt', email, subject: 'Printer on fire', message: 'Help' })
      .expect(201);
    const mail = await waitForMail(email, new RegExp(`#${res.body.ticket.number}`));
    expect(mail.text).toContain(res.body.access_token);
    expect(mail.text).toContain(`/portal/tickets/${res.body.ticket.id}`);
    expect(mail.headers['message-id']).toMatch(/^<.+@.+>$/);
    expect(mail.headers['references']).toContain(`ticket-${res.body.ticket.id}@`);
    expect(mail.headers['reply-to']).toContain(`+t${res.body.ticket.id}@`);
  });

  it('sends the customer an agent reply’s text, threaded with the receipt, and never an internal note', async () => {
    const marker = `EMAIL-NOTE-MARKER-${Date.now()}`;
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Refund', message: 'Please' })
      .expect(201);
    const id = created.body.ticket.id;
    await t.http
      .post(`/api/v1/admin/tickets/${id}/notes`)
      .set(agent.auth)
      .send({ body: `${marker} do not tell the customer` })
      .expect(201);
    await t.http
      .post(`/api/v1/admin/tickets/${id}/replies`)
      .set(agent.auth)
      .send({ body: 'We refunded you.' })
      .expect(201);
    const replyMail = await eventually(
      () => mailsTo(customer.user.email).find((m) => m.text.includes('We refunded you.')),
      {
        what: 'the reply mail',
      },
    );
    const receipt = await eventually(
      () => mailsTo(customer.user.email).find((m) => m.text.includes(created.body.access_token)),
      {
        what: 'the receipt',
      },
    );
    expect(replyMail.text).toContain('Agent Ada');
    // Both hang off the ticket's thread root, so the customer's mail client threads them.
    const root = `<ticket-${id}@`;
    expect(receipt.headers['references']).toContain(root);
    expect(replyMail.headers['in-reply-to']).toContain(root);
    expect(replyMail.headers['message-id']).not.toBe(receipt.headers['message-id']);
    // Resolve, reassign, reply again: the note never reaches any email to anyone.
    await t.http
      .patch(`/api/v1/admin/tickets/${id}/status`)
      .set(agent.auth)
      .send({ status: 'resolved', resolution_notes: 'Refund issued.' })
      .expect(200);
    await eventually(
      () => mailsTo(customer.user.email).find((m) => m.text.includes('Refund issued.')),
      { what: 'the resolution mail' },
    );
    for (const mail of smtp.received) {
      expect(mail.text).not.toContain(marker);
      expect(mail.html).not.toContain(marker);
    }
  });

  it('sends the resolution notes with a rating link', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Wifi', message: 'down' })
      .expect(201);
    const id = created.body.ticket.id;
    await t.http
      .patch(`/api/v1/admin/tickets/${id}/status`)
      .set(agent.auth)
      .send({ status: 'resolved', resolution_notes: 'Router restarted.' })
      .expect(200);
    const mail = await eventually(
      () => mailsTo(customer.user.email).find((m) => m.text.includes('Router restarted.')),
      { what: 'resolution' },
    );
    // A signed link that rates without signing in, and it works.
    const link = /\/api\/v1\/ratings\/([A-Za-z0-9._~-]+)/.exec(mail.text);
    expect(link).not.toBeNull();
    await t.http.post(`/api/v1/ratings/${link![1]}`).send({ score: 5 }).expect(200);
  });

  it('tells every support_manager and notify_email about an escalation', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Escalate me', message: 'x' })
      .expect(201);
    const outsider = uniqueEmail('director');
    await t.http
      .post(`/api/v1/admin/tickets/${created.body.ticket.id}/escalate`)
      .set(manager.auth)
      .send({ reason: 'VIP customer, angry', notify_email: outsider })
      .expect(200);
    for (const address of [manager.user.email, outsider]) {
      const mail = await waitForMail(address, /Escalate me/);
      expect(mail.text).toContain('VIP customer, angry');
      expect(mail.text).toContain(`/admin/tickets/${created.body.ticket.id}`);
    }
    expect(mailsTo(customer.user.email).some((m) => m.text.includes('VIP customer'))).toBe(false);
  });

  it('tells a new assignee, but not an agent who took the ticket themselves', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Assign me', message: 'x' })
      .expect(201);
    const id = created.body.ticket.id;
    await t.http
      .patch(`/api/v1/admin/tickets/${id}/assignee`)
      .set(manager.auth)
      .send({ assignee_id: agent.user.id })
      .expect(200);
    const mail = await waitForMail(agent.user.email, /Assign me/);
    expect(mail.text).toContain(`/admin/tickets/${id}`);
    expect(mail.text).toContain('Manager Max');
    const other = await createStaff(t);
    const second = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Self service', message: 'x' })
      .expect(201);
    await t.http
      .patch(`/api/v1/admin/tickets/${second.body.ticket.id}/assignee`)
      .set(other.auth)
      .send({ assignee_id: other.user.id })
      .expect(200);
    const rows: Array<{ n: string }> = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*) AS n FROM notification WHERE recipient = $1 AND event = 'ticket_assigned'`,
        [other.user.email],
      );
    expect(Number(rows[0].n)).toBe(0);
  });

  it('records nothing when the change rolls back', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Rollback', message: 'x' })
      .expect(201);
    const id = created.body.ticket.id;
    // An illegal status in the reply: the reply, its message and its email all roll back.
    await t.http
      .post(`/api/v1/admin/tickets/${id}/replies`)
      .set(agent.auth)
      .send({ body: 'never sent', status: 'closed' })
      .expect(409);
    const rows: Array<{ n: string }> = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*) AS n FROM notification WHERE ticket_id = $1 AND event = 'agent_reply'`,
        [id],
      );
    expect(Number(rows[0].n)).toBe(0);
  });
});
