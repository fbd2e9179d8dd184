import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA, PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { LOCATION_TEMPLATE } from '@helpdesk/common';
import { ACCESS_RULE } from 'src/access/access.decorators';
import { AUDIT_ACTION, AUDIT_EXEMPT } from 'src/access/audited.decorator';
import type { TestApp } from './test-app';

export interface RouteInfo {
  route: string;
  method: string;
  accessRule: unknown;
  audited: unknown;
  auditExempt: unknown;
  status: number;
  location: unknown;
}

/** Every route handler the app registers, with the metadata the guards and audit read. */
export function routesOf(t: TestApp): RouteInfo[] {
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
        status:
          (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
          (method === 'POST' ? 201 : 200),
        location: reflector.get(LOCATION_TEMPLATE, handler),
      });
    }
  }
  return routes;
}
