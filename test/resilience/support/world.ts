import {
  createCustomer,
  createStaff,
  openPublicTicket,
  uniqueEmail,
  TEST_PASSWORD,
  type PublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

/** Every kind of caller the API knows (API.md section 2), plus the cross-customer cases. */
export const ROLES = [
  'anonymous',
  'customer', // customer A: owns the fixture tickets
  'other_customer', // customer B: owns nothing of A's
  'support',
  'support_manager',
  'admin',
  'api_key', // an integration key acting as `support`
  'ticket_token', // the access token of A's ticket
  'other_ticket_token', // the access token of B's ticket
] as const;
export type Role = (typeof ROLES)[number];

export type Headers = Record<string, string>;

/** A running app with one signed-in caller per role and a ticket of each customer. */
export interface World {
  t: TestApp;
  users: Record<
    'customer' | 'other_customer' | 'support' | 'support_manager' | 'admin',
    SignedInUser
  >;
  apiKey: string;
  ticketA: PublicTicket;
  ticketB: PublicTicket;
  headersFor(role: Role, ticket?: PublicTicket): Headers;
  /** A new ticket of customer A (for mutations that must start from `open`). */
  freshTicket(): Promise<PublicTicket>;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const [customer, otherCustomer, support, manager, admin] = [
    await createCustomer(t),
    await createCustomer(t),
    await createStaff(t, 'support'),
    await createStaff(t, 'support_manager'),
    await createStaff(t, 'admin'),
  ];
  const key = await t.http
    .post('/api/v1/admin/api-keys')
    .set(admin.auth)
    .send({ name: 'resilience integration', role: 'support' });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  const openAs = async (who: SignedInUser): Promise<PublicTicket> => {
    const res = await t.http
      .post('/api/v1/tickets')
      .set(who.auth)
      .send({ subject: 'Printer on fire', message: 'It is on fire.' });
    if (res.status !== 201) throw new Error(`ticket: ${res.status} ${JSON.stringify(res.body)}`);
    return {
      id: res.body.ticket.id,
      number: res.body.ticket.number,
      accessToken: res.body.access_token,
      email: who.user.email,
      body: res.body,
    };
  };
  const ticketA = await openAs(customer);
  const ticketB = await openAs(otherCustomer);
  const users = {
    customer,
    other_customer: otherCustomer,
    support,
    support_manager: manager,
    admin,
  };
  return {
    t,
    users,
    apiKey: key.body.key as string,
    ticketA,
    ticketB,
    headersFor(role, ticket = ticketA): Headers {
      switch (role) {
        case 'anonymous':
          return {};
        case 'api_key':
          return { 'X-API-Key': key.body.key as string };
        case 'ticket_token':
          return { 'X-Ticket-Token': ticket.accessToken };
        case 'other_ticket_token':
          return { 'X-Ticket-Token': ticketB.accessToken };
        default:
          return users[role].auth;
      }
    },
    freshTicket: () => openAs(customer),
  };
}

/** Fresh, throwaway credentials of a role (for calls that end a session, like logout). */
export async function freshCredentials(t: TestApp, role: Role): Promise<Headers | undefined> {
  if (role === 'customer' || role === 'other_customer') return (await createCustomer(t)).auth;
  if (role === 'support' || role === 'support_manager' || role === 'admin')
    return (await createStaff(t, role)).auth;
  return undefined;
}

export { openPublicTicket, uniqueEmail, TEST_PASSWORD };
