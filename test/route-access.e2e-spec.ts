import { AUDIT_ACTIONS } from 'src/audit/audit-actions';
import { createTestApp, type TestApp } from '@helpdesk/testing';
import { routesOf } from '@helpdesk/testing/routes';

describe('route declarations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('finds the routes (a walker that finds nothing proves nothing)', () => {
    const routes = routesOf(t).map((r) => r.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /health/ready',
        'DELETE /api/v1/admin/api-keys/:id',
      ]),
    );
  });

  it('every route declares who may call it (@Public, @Authenticated or @Roles)', () => {
    const undeclared = routesOf(t)
      .filter((r) => !r.accessRule)
      .map((r) => r.route);
    expect(undeclared).toEqual([]);
  });

  it('every mutating /api/v1 route is @Audited or carries a reasoned @NotAudited exemption', () => {
    const unaudited = routesOf(t)
      .filter(
        (r) =>
          ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.route.includes('/api/v1/'),
      )
      .filter(
        (r) => !r.audited && !(typeof r.auditExempt === 'string' && r.auditExempt.length > 10),
      )
      .map((r) => r.route);
    expect(unaudited).toEqual([]);
  });

  it('every @Audited action is one the audit log writes (src/audit/audit-actions.ts)', () => {
    const unknown = routesOf(t)
      .filter((r) => r.audited !== undefined)
      .filter((r) => typeof r.audited !== 'string' || !AUDIT_ACTIONS.includes(r.audited))
      .map((r) => r.route);
    expect(unknown).toEqual([]);
  });

  it('every route answering 201 says where the new resource is (@CreatedAt → Location)', () => {
    const unlocated = routesOf(t)
      .filter((r) => r.status === 201 && typeof r.location !== 'string')
      .map((r) => r.route);
    expect(unlocated).toEqual([]);
  });

  it('a diff here is a permission change: the public routes are exactly these', () => {
    const publicRoutes = routesOf(t)
      .filter((r) => (r.accessRule as { kind?: string } | undefined)?.kind === 'public')
      .map((r) => r.route)
      .sort();
    expect(publicRoutes).toMatchSnapshot();
  });
});
