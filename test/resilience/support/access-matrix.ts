import { DataSource } from 'typeorm';
import { Notification } from 'src/notifications/notification.entity';
import { RatingLinks } from 'src/ratings/rating-links';
import {
  createCustomer,
  createStaff,
  TEST_PASSWORD,
  uniqueEmail,
  waitForMails,
} from '@helpdesk/testing';
import type { Multipart } from './http';
import { freshCredentials, type Headers, type Role, type World } from './world';

// THE access-control matrix: route × role → what the live app must answer (API.md sections 2–12).
//
//   'ok'  a 2xx (the request is a valid one: it is also the "valid requests are accepted" check)
//   401   no or unusable credentials (a ticket token outside its ticket's portal routes)
//   403   authenticated, but the role may not do this
//   404   the caller may not know the resource exists (another customer's ticket, another
//         ticket's token)
//
// Every operation in /docs-json must have a row, and every row must be in /docs-json
// (access-matrix.spec.ts fails otherwise). To add a route: add a row keyed `METHOD /path` exactly
// as the OpenAPI document spells it, pick the helper that states its rule (or write the nine
// cells out), and give `request` a valid call — it may create what it needs first.

export type Outcome = 'ok' | 401 | 403 | 404;
export type Row = Record<Role, Outcome>;

export interface Call {
  path: string;
  body?: unknown;
  multipart?: Multipart;
  stream?: boolean;
  query?: Record<string, string>;
  /** Replaces the role's credentials (e.g. fresh ones for logout). */
  headers?: Headers;
}

export interface MatrixEntry {
  access: Row;
  /** A valid call of this route for `role`; runs before each cell, so it may create fixtures. */
  request(world: World, role: Role): Call | Promise<Call>;
}

const STAFF_ORDER = ['support', 'support_manager', 'admin'] as const;
type StaffRole = (typeof STAFF_ORDER)[number];
const API_KEY_ROLE: StaffRole = 'support';

/** @Public(): anyone; a ticket token is refused everywhere but its portal routes. */
export const publicRoute = (): Row => ({
  anonymous: 'ok',
  customer: 'ok',
  other_customer: 'ok',
  support: 'ok',
  support_manager: 'ok',
  admin: 'ok',
  api_key: 'ok',
  ticket_token: 401,
  other_ticket_token: 401,
});

/** @Authenticated(): any account or API key. */
export const anyAccount = (): Row => ({ ...publicRoute(), anonymous: 401 });

/** @Roles(min): staff from `min` up (an API key acts with its role); customers 403. */
export const staff = (min: StaffRole): Row => {
  const admits = (role: StaffRole): Outcome =>
    STAFF_ORDER.indexOf(role) >= STAFF_ORDER.indexOf(min) ? 'ok' : 403;
  return {
    anonymous: 401,
    customer: 403,
    other_customer: 403,
    support: admits('support'),
    support_manager: admits('support_manager'),
    admin: admits('admin'),
    api_key: admits(API_KEY_ROLE),
    ticket_token: 401,
    other_ticket_token: 401,
  };
};

/** @CustomerOrTicketToken() on customer A's ticket: its owner or its token; others never see it. */
export const ownTicket = (): Row => ({
  anonymous: 401,
  customer: 'ok',
  other_customer: 404,
  support: 403,
  support_manager: 403,
  admin: 403,
  api_key: 403,
  ticket_token: 'ok',
  other_ticket_token: 404,
});

/** @Roles('customer') on a collection: each customer sees their own. */
export const customersOnly = (): Row => ({
  ...staff('admin'),
  customer: 'ok',
  other_customer: 'ok',
  admin: 403,
});

const textFile = (name = 'notes.txt'): Multipart => ({
  files: [{ field: 'files', content: Buffer.from('plain text attachment\n'), fileName: name }],
});

/** A public attachment on customer A's ticket, uploaded by customer A through the portal. */
const customerAttachment = async (w: World): Promise<string> => {
  const res = await w.t.http
    .post(`/api/v1/portal/tickets/${w.ticketA.id}/attachments`)
    .set(w.users.customer.auth)
    .attach('files', Buffer.from('from the customer\n'), 'customer.txt');
  if (res.status !== 201) throw new Error(`attachment: ${res.status} ${res.text}`);
  return (res.body as { items: Array<{ id: string }> }).items[0].id;
};

/**
 * A fresh ticket of customer A with its own token: rotating a token must not spend the world's
 * ticket token that later rows use. The `ticket_token` cell sends this ticket's token.
 */
const rotationCall = async (w: World, role: Role, scope: 'admin' | 'portal'): Promise<Call> => {
  const res = await w.t.http
    .post('/api/v1/tickets')
    .set(w.users.customer.auth)
    .send({ subject: 'Rotate my link', message: 'I forwarded it by mistake.' });
  if (res.status !== 201) throw new Error(`ticket: ${res.status} ${res.text}`);
  const { ticket, access_token: token } = res.body as {
    ticket: { id: string };
    access_token: string;
  };
  return {
    path: `/api/v1/${scope}/tickets/${ticket.id}/access-token/rotate`,
    headers: role === 'ticket_token' ? { 'X-Ticket-Token': token } : w.headersFor(role),
  };
};

/** A webhook to a closed local port (deliveries just fail and retry). */
const webhook = async (w: World): Promise<string> => {
  const res = await w.t.http
    .post('/api/v1/admin/webhooks')
    .set(w.users.admin.auth)
    .send({ url: 'http://127.0.0.1:9/hook', events: ['*'] });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${res.text}`);
  return (res.body as { id: string }).id;
};

/** A webhook with at least one delivery (an event sequenced after it was created). */
const webhookWithDelivery = async (w: World): Promise<{ id: string; deliveryId: string }> => {
  const id = await webhook(w);
  await w.freshTicket();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await w.t.http
      .get(`/api/v1/admin/webhooks/${id}/deliveries`)
      .set(w.users.admin.auth);
    const items = (res.body as { items?: Array<{ id: string }> }).items ?? [];
    if (items.length) return { id, deliveryId: items[0].id };
    if (Date.now() > deadline) throw new Error('no webhook delivery appeared');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Resolves a ticket (as the manager) unless it already is resolved or closed. */
const resolved = async (w: World, ticketId: string): Promise<void> => {
  const current = await w.t.http
    .get(`/api/v1/admin/tickets/${ticketId}`)
    .set(w.users.support_manager.auth);
  const status = (current.body as { status: string }).status;
  if (status === 'resolved' || status === 'closed') return;
  const res = await w.t.http
    .patch(`/api/v1/admin/tickets/${ticketId}/status`)
    .set(w.users.support_manager.auth)
    .send({ status: 'resolved', resolution_notes: 'Done.' });
  if (res.status !== 200) throw new Error(`resolve: ${res.status} ${res.text}`);
};

const ticketPath =
  (suffix = '') =>
  async (w: World) => {
    const ticket = await w.freshTicket();
    return `/api/v1/admin/tickets/${ticket.id}${suffix}`;
  };

export const ACCESS_MATRIX: Record<string, MatrixEntry> = {
  // --- operations (section 12)
  'GET /health/live': { access: publicRoute(), request: () => ({ path: '/health/live' }) },
  'GET /health/ready': { access: publicRoute(), request: () => ({ path: '/health/ready' }) },
  'GET /metrics': { access: publicRoute(), request: () => ({ path: '/metrics' }) },

  // --- auth (section 3)
  'POST /api/v1/auth/login': {
    access: publicRoute(),
    request: (w) => ({
      path: '/api/v1/auth/login',
      body: { email: w.users.support.user.email, password: TEST_PASSWORD },
    }),
  },
  'POST /api/v1/auth/refresh': {
    access: publicRoute(),
    request: async (w) => {
      const staffUser = await createStaff(w.t, 'support');
      const login = await w.t.http
        .post('/api/v1/auth/login')
        .send({ email: staffUser.user.email, password: TEST_PASSWORD });
      return { path: '/api/v1/auth/refresh', body: { refresh_token: login.body.refresh_token } };
    },
  },
  'POST /api/v1/auth/logout': {
    access: anyAccount(),
    request: async (w, role) => ({
      path: '/api/v1/auth/logout',
      headers: await freshCredentials(w.t, role),
    }),
  },
  'GET /api/v1/auth/me': { access: anyAccount(), request: () => ({ path: '/api/v1/auth/me' }) },
  'POST /api/v1/auth/magic-link': {
    access: publicRoute(),
    request: (w) => ({
      path: '/api/v1/auth/magic-link',
      body: { email: w.users.customer.user.email },
    }),
  },
  'POST /api/v1/auth/magic-link/verify': {
    access: publicRoute(),
    request: async (w) => {
      const customer = await createCustomer(w.t);
      await w.t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email });
      const mail = (await waitForMails(w.t.config.mailDir, customer.user.email)).pop();
      const token = mail?.match(/sign-in\?token=([A-Za-z0-9_-]+)/)?.[1];
      return { path: '/api/v1/auth/magic-link/verify', body: { token } };
    },
  },

  // --- users and API keys (section 4, admin)
  'POST /api/v1/admin/users': {
    access: staff('admin'),
    request: () => ({
      path: '/api/v1/admin/users',
      body: {
        email: uniqueEmail('new'),
        name: 'New Agent',
        role: 'support',
        password: TEST_PASSWORD,
      },
    }),
  },
  'GET /api/v1/admin/users': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/users' }),
  },
  'GET /api/v1/admin/users/{id}': {
    access: staff('admin'),
    request: (w) => ({ path: `/api/v1/admin/users/${w.users.support.user.id}` }),
  },
  'PATCH /api/v1/admin/users/{id}': {
    access: staff('admin'),
    request: async (w) => {
      const victim = await createStaff(w.t, 'support');
      return { path: `/api/v1/admin/users/${victim.user.id}`, body: { name: 'Renamed Agent' } };
    },
  },
  'POST /api/v1/admin/api-keys': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/api-keys', body: { name: 'k', role: 'support' } }),
  },
  'GET /api/v1/admin/api-keys': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/api-keys' }),
  },
  'DELETE /api/v1/admin/api-keys/{id}': {
    access: staff('admin'),
    request: async (w) => {
      const key = await w.t.http
        .post('/api/v1/admin/api-keys')
        .set(w.users.admin.auth)
        .send({ name: 'doomed', role: 'support' });
      return { path: `/api/v1/admin/api-keys/${key.body.id}` };
    },
  },

  // --- customer tickets (section 5)
  'POST /api/v1/tickets': {
    access: publicRoute(),
    request: () => ({
      path: '/api/v1/tickets',
      body: { name: 'Ada', email: uniqueEmail('intake'), subject: 'Hello', message: 'Help me.' },
    }),
  },
  'GET /api/v1/portal/tickets': {
    access: customersOnly(),
    request: () => ({ path: '/api/v1/portal/tickets' }),
  },
  'GET /api/v1/portal/tickets/{id}': {
    access: ownTicket(),
    request: (w) => ({ path: `/api/v1/portal/tickets/${w.ticketA.id}` }),
  },
  'POST /api/v1/portal/tickets/{id}/access-token/rotate': {
    access: ownTicket(),
    request: (w, role) => rotationCall(w, role, 'portal'),
  },
  'POST /api/v1/portal/tickets/{id}/messages': {
    access: ownTicket(),
    request: (w) => ({
      path: `/api/v1/portal/tickets/${w.ticketA.id}/messages`,
      body: { body: 'Any news?' },
    }),
  },

  // --- staff tickets (section 6)
  'POST /api/v1/admin/tickets/{id}/access-token/rotate': {
    access: staff('support'),
    request: (w, role) => rotationCall(w, role, 'admin'),
  },
  'GET /api/v1/admin/tickets': {
    access: staff('support'),
    request: () => ({ path: '/api/v1/admin/tickets' }),
  },
  'POST /api/v1/admin/tickets': {
    access: staff('support'),
    request: () => ({
      path: '/api/v1/admin/tickets',
      body: { requester_email: uniqueEmail('phone'), subject: 'Called in', message: 'By phone.' },
    }),
  },
  'GET /api/v1/admin/tickets/{id}': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}` }),
  },
  'PATCH /api/v1/admin/tickets/{id}': {
    access: staff('support'),
    request: async (w) => ({ path: await ticketPath()(w), body: { category: 'billing' } }),
  },
  'DELETE /api/v1/admin/tickets/{id}': {
    access: staff('admin'),
    request: async (w) => ({ path: await ticketPath()(w) }),
  },
  'PATCH /api/v1/admin/tickets/{id}/status': {
    access: staff('support'),
    request: async (w) => ({ path: await ticketPath('/status')(w), body: { status: 'pending' } }),
  },
  'POST /api/v1/admin/tickets/{id}/replies': {
    access: staff('support'),
    request: async (w) => ({ path: await ticketPath('/replies')(w), body: { body: 'On it.' } }),
  },
  'GET /api/v1/admin/tickets/{id}/messages': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}/messages` }),
  },
  'POST /api/v1/admin/tickets/{id}/notes': {
    access: staff('support'),
    request: (w) => ({
      path: `/api/v1/admin/tickets/${w.ticketA.id}/notes`,
      body: { body: 'Hm.' },
    }),
  },
  'GET /api/v1/admin/tickets/{id}/notes': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}/notes` }),
  },
  'DELETE /api/v1/admin/tickets/{id}/notes/{noteId}': {
    // The author (here: the `support` user, whose note it is) or an admin; other staff 403.
    access: { ...staff('support'), support_manager: 403, api_key: 403 },
    request: async (w) => {
      const note = await w.t.http
        .post(`/api/v1/admin/tickets/${w.ticketA.id}/notes`)
        .set(w.users.support.auth)
        .send({ body: 'to delete' });
      return { path: `/api/v1/admin/tickets/${w.ticketA.id}/notes/${note.body.id}` };
    },
  },
  'PATCH /api/v1/admin/tickets/{id}/assignee': {
    // support may assign only themselves; the API key (no user) is tested unassigning.
    access: staff('support'),
    request: async (w, role) => {
      const path = await ticketPath('/assignee')(w);
      const self = role in w.users ? w.users[role as 'support'].user.id : null;
      return { path, body: { assignee_id: role === 'api_key' ? null : self } };
    },
  },
  'GET /api/v1/admin/tickets/{id}/assignments': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}/assignments` }),
  },
  'GET /api/v1/admin/tickets/{id}/timeline': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}/timeline` }),
  },

  // --- attachments (section 7)
  'POST /api/v1/admin/tickets/{id}/attachments': {
    access: staff('support'),
    request: (w) => ({
      path: `/api/v1/admin/tickets/${w.ticketA.id}/attachments`,
      multipart: textFile(),
    }),
  },
  'GET /api/v1/admin/tickets/{id}/attachments': {
    access: staff('support'),
    request: (w) => ({ path: `/api/v1/admin/tickets/${w.ticketA.id}/attachments` }),
  },
  'POST /api/v1/portal/tickets/{id}/attachments': {
    access: ownTicket(),
    request: (w) => ({
      path: `/api/v1/portal/tickets/${w.ticketA.id}/attachments`,
      multipart: textFile(),
    }),
  },
  'GET /api/v1/attachments/{id}/content': {
    // Staff any; the owner and its ticket's token public ones only; anyone else 404.
    access: {
      anonymous: 401,
      customer: 'ok',
      other_customer: 404,
      support: 'ok',
      support_manager: 'ok',
      admin: 'ok',
      api_key: 'ok',
      ticket_token: 'ok',
      other_ticket_token: 404,
    },
    request: async (w) => ({ path: `/api/v1/attachments/${await customerAttachment(w)}/content` }),
  },
  'DELETE /api/v1/attachments/{id}': {
    // The uploader (customer A here) or support_manager+; other staff 403; tokens 401.
    access: {
      anonymous: 401,
      customer: 'ok',
      other_customer: 404,
      support: 403,
      support_manager: 'ok',
      admin: 'ok',
      api_key: 403,
      ticket_token: 401,
      other_ticket_token: 401,
    },
    request: async (w) => ({ path: `/api/v1/attachments/${await customerAttachment(w)}` }),
  },

  // --- event feed and webhooks (section 11a)
  'GET /api/v1/admin/events': {
    access: staff('support_manager'),
    request: () => ({ path: '/api/v1/admin/events' }),
  },
  'GET /api/v1/admin/events/stream': {
    access: staff('support'),
    request: () => ({ path: '/api/v1/admin/events/stream', stream: true }),
  },
  'POST /api/v1/admin/webhooks': {
    access: staff('admin'),
    request: () => ({
      path: '/api/v1/admin/webhooks',
      body: { url: 'http://127.0.0.1:9/hook', events: ['ticket.created'] },
    }),
  },
  'GET /api/v1/admin/webhooks': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/webhooks' }),
  },
  'GET /api/v1/admin/webhooks/{id}': {
    access: staff('admin'),
    request: async (w) => ({ path: `/api/v1/admin/webhooks/${await webhook(w)}` }),
  },
  'PATCH /api/v1/admin/webhooks/{id}': {
    access: staff('admin'),
    request: async (w) => ({
      path: `/api/v1/admin/webhooks/${await webhook(w)}`,
      body: { active: false },
    }),
  },
  'DELETE /api/v1/admin/webhooks/{id}': {
    access: staff('admin'),
    request: async (w) => ({ path: `/api/v1/admin/webhooks/${await webhook(w)}` }),
  },
  'GET /api/v1/admin/webhooks/{id}/deliveries': {
    access: staff('admin'),
    request: async (w) => ({ path: `/api/v1/admin/webhooks/${await webhook(w)}/deliveries` }),
  },
  'POST /api/v1/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    access: staff('admin'),
    request: async (w) => {
      const { id, deliveryId } = await webhookWithDelivery(w);
      return { path: `/api/v1/admin/webhooks/${id}/deliveries/${deliveryId}/redeliver` };
    },
  },

  // --- manager tools (sections 5, 6, 11)
  'POST /api/v1/admin/tickets/bulk': {
    access: staff('support_manager'),
    request: async (w) => ({
      path: '/api/v1/admin/tickets/bulk',
      body: {
        ticket_ids: [(await w.freshTicket()).id],
        action: 'add_tags',
        parameters: { tags: ['bulk'] },
      },
    }),
  },
  'POST /api/v1/admin/tickets/{id}/escalate': {
    access: staff('support_manager'),
    request: async (w) => ({
      path: await ticketPath('/escalate')(w),
      body: { reason: 'Angry VIP' },
    }),
  },
  'POST /api/v1/portal/tickets/{id}/rating': {
    access: ownTicket(),
    request: async (w) => {
      await resolved(w, w.ticketA.id);
      return { path: `/api/v1/portal/tickets/${w.ticketA.id}/rating`, body: { score: 4 } };
    },
  },
  'GET /api/v1/ratings/{token}': {
    access: publicRoute(),
    request: (w) => ({
      path: `/api/v1/ratings/${w.t.app.get(RatingLinks).tokenFor(w.ticketA.id)}`,
    }),
  },
  'POST /api/v1/ratings/{token}': {
    access: publicRoute(),
    request: async (w) => {
      const ticket = await w.freshTicket();
      await resolved(w, ticket.id);
      return {
        path: `/api/v1/ratings/${w.t.app.get(RatingLinks).tokenFor(ticket.id)}`,
        body: { score: 5 },
      };
    },
  },
  'GET /api/v1/admin/analytics/summary': {
    access: staff('support_manager'),
    request: () => ({ path: '/api/v1/admin/analytics/summary' }),
  },
  'GET /api/v1/admin/analytics/trend': {
    access: staff('support_manager'),
    request: () => ({
      path: '/api/v1/admin/analytics/trend',
      query: { interval: 'day', metric: 'created' },
    }),
  },
  'GET /api/v1/admin/tickets/export': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/tickets/export', query: { status: 'closed' } }),
  },

  // --- audit (section 8)
  'GET /api/v1/admin/audit-logs': {
    access: staff('support_manager'),
    request: () => ({ path: '/api/v1/admin/audit-logs' }),
  },
  'GET /api/v1/admin/audit-logs/verify': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/audit-logs/verify' }),
  },

  // --- notifications (section 9, admin)
  'GET /api/v1/admin/notifications': {
    access: staff('admin'),
    request: () => ({ path: '/api/v1/admin/notifications' }),
  },
  'POST /api/v1/admin/notifications/{id}/retry': {
    access: staff('admin'),
    request: async (w) => {
      const ticket = await w.freshTicket();
      const repo = w.t.app.get(DataSource).getRepository(Notification);
      const row = await repo.findOneByOrFail({ recipient: ticket.email, event: 'ticket_created' });
      await repo.update({ id: row.id }, { status: 'failed', sentAt: null });
      return { path: `/api/v1/admin/notifications/${row.id}/retry` };
    },
  },

  // --- SLA (section 10)
  'GET /api/v1/admin/sla-policies': {
    access: staff('support'),
    request: () => ({ path: '/api/v1/admin/sla-policies' }),
  },
  'PUT /api/v1/admin/sla-policies/{priority}': {
    access: staff('admin'),
    request: () => ({
      path: '/api/v1/admin/sla-policies/low',
      body: { first_response_minutes: 480, resolution_minutes: 2880, business_hours: true },
    }),
  },
  'GET /api/v1/admin/business-hours': {
    access: staff('support'),
    request: () => ({ path: '/api/v1/admin/business-hours' }),
  },
  'PUT /api/v1/admin/business-hours': {
    access: staff('admin'),
    request: () => ({
      path: '/api/v1/admin/business-hours',
      body: {
        timezone: 'Europe/Berlin',
        weekly: [{ day: 1, start: '09:00', end: '17:00' }],
        holidays: [],
      },
    }),
  },
};

/**
 * Cross-customer and token-scope cells beyond the route rows: the same route called on customer
 * B's ticket. Customer A, and A's ticket token, must get 404 (never 403: they may not know it
 * exists). Add attachment/rating rows here when those routes land.
 */
export const CROSS_CUSTOMER: Array<{ route: string; call(w: World): Call }> = [
  {
    route: 'GET /api/v1/portal/tickets/{id}',
    call: (w) => ({ path: `/api/v1/portal/tickets/${w.ticketB.id}` }),
  },
  {
    route: 'POST /api/v1/portal/tickets/{id}/messages',
    call: (w) => ({
      path: `/api/v1/portal/tickets/${w.ticketB.id}/messages`,
      body: { body: 'peek' },
    }),
  },
  {
    route: 'POST /api/v1/portal/tickets/{id}/access-token/rotate',
    call: (w) => ({ path: `/api/v1/portal/tickets/${w.ticketB.id}/access-token/rotate` }),
  },
  {
    route: 'POST /api/v1/portal/tickets/{id}/rating',
    call: (w) => ({ path: `/api/v1/portal/tickets/${w.ticketB.id}/rating`, body: { score: 1 } }),
  },
  {
    route: 'POST /api/v1/portal/tickets/{id}/attachments',
    call: (w) => ({
      path: `/api/v1/portal/tickets/${w.ticketB.id}/attachments`,
      multipart: textFile(),
    }),
  },
];
