import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE } from 'src/access/access.decorators';
import { AUDIT_ACTIONS } from 'src/audit/audit-actions';
import { AUDIT_ACTION, AUDIT_EXEMPT } from 'src/access/audit-metadata';
import { createTestApp, type TestApp } from '@helpdesk/testing';

interface RouteInfo {
  route: string;
  method: string;
  accessRule: unknown;
  audited: unknown;
  auditExempt: unknown;
}

/** Every route handler the app registers, with the metadata the guards and audit read. */
function routesOf(t: TestApp): RouteInfo[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as () => void;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      routes.push({
        route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`,
        method,
        accessRule: reflector.getAllAndOverride(ACCESS_RULE, [handler, wrapper.metatype]),
        audited: reflector.get(AUDIT_ACTION, handler),
        auditExempt: reflector.get(AUDIT_EXEMPT, handler),
      });
    }
  }
  return routes;
}

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

  it('a diff here is a permission change: the public routes are exactly these', () => {
    const publicRoutes = routesOf(t)
      .filter((r) => (r.accessRule as { kind?: string } | undefined)?.kind === 'public')
      .map((r) => r.route)
      .sort();
    expect(publicRoutes).toMatchSnapshot();
  });
});
