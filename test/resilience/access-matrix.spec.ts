import { createTestApp, type TestApp } from '@helpdesk/testing';
import { ACCESS_MATRIX, CROSS_CUSTOMER } from './support/access-matrix';
import { contractViolation, send } from './support/http';
import { operationsOf, type OpenApiDocument } from './support/openapi';
import { buildWorld, ROLES, type World } from './support/world';

// The access-control matrix (support/access-matrix.ts) against the live app: every route of the
// OpenAPI document × every kind of caller.
describe('access-control matrix', () => {
  let t: TestApp;
  let world: World;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
    doc = (await t.http.get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has exactly one row per operation of the OpenAPI document', () => {
    const documented = operationsOf(doc)
      .map((op) => op.key)
      .sort();
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((key) => !(key in ACCESS_MATRIX))).toEqual([]); // add a row
    expect(Object.keys(ACCESS_MATRIX).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('answers every route × role as the table says', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const [key, entry] of Object.entries(ACCESS_MATRIX)) {
      const [method] = key.split(' ');
      for (const role of ROLES) {
        const call = await entry.request(world, role);
        const res = await send(t, {
          method,
          path: call.path,
          query: call.query ? new URLSearchParams(call.query).toString() : undefined,
          headers: call.headers ?? world.headersFor(role),
          body: call.body,
          multipart: call.multipart,
          stream: call.stream,
        });
        cells += 1;
        const expected = entry.access[role];
        const got: 'ok' | number = res.status >= 200 && res.status < 300 ? 'ok' : res.status;
        if (got !== expected)
          mismatches.push(
            `${key} as ${role}: expected ${expected}, got ${res.status} ${res.text.slice(0, 160)}`,
          );
        const violation = contractViolation(res);
        if (violation) mismatches.push(`${key} as ${role}: ${violation}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(Object.keys(ACCESS_MATRIX).length * ROLES.length);
  });

  it("never shows customer B's ticket to customer A or to A's ticket token (404, not 403)", async () => {
    const leaks: string[] = [];
    for (const { route, call } of CROSS_CUSTOMER) {
      const [method] = route.split(' ');
      for (const role of ['customer', 'ticket_token'] as const) {
        const c = call(world);
        const res = await send(t, {
          method,
          path: c.path,
          headers: world.headersFor(role),
          body: c.body,
          multipart: c.multipart,
        });
        if (res.status !== 404) leaks.push(`${route} on B's ticket as ${role}: ${res.status}`);
      }
    }
    // B's own token and B's account do open it: the 404s above are about ownership, not a broken route.
    const own = await send(t, {
      method: 'GET',
      path: `/api/v1/portal/tickets/${world.ticketB.id}`,
      headers: world.headersFor('other_customer'),
    });
    expect(own.status).toBe(200);
    expect(leaks).toEqual([]);
  });

  it('confines a ticket token to its ticket: another ticket 404, staff and list routes 401', async () => {
    const token = world.headersFor('ticket_token');
    const [other, list, staffRead, me] = await Promise.all([
      send(t, {
        method: 'GET',
        path: `/api/v1/portal/tickets/${world.ticketB.id}`,
        headers: token,
      }),
      send(t, { method: 'GET', path: '/api/v1/portal/tickets', headers: token }),
      send(t, { method: 'GET', path: `/api/v1/admin/tickets/${world.ticketA.id}`, headers: token }),
      send(t, { method: 'GET', path: '/api/v1/auth/me', headers: token }),
    ]);
    expect([other.status, list.status, staffRead.status, me.status]).toEqual([404, 401, 401, 401]);
  });
});
