/**
 * Which methods each registered path answers, so a request with a wrong method gets 405 with
 * `Allow` (RFC 9110 section 15.5.6) instead of the router's 404. Fed from Fastify's `onRoute`.
 */
export class RouteMethods {
  private readonly routes: Array<{ pattern: RegExp; method: string }> = [];

  add(methods: string | string[], url: string): void {
    // Catch-alls (the CORS preflight's `OPTIONS *`) would make every unknown path a 405.
    if (url === '*' || url === '/*') return;
    const pattern = new RegExp(
      `^${url
        .split('/')
        .map((segment) =>
          segment === '*'
            ? '.*'
            : segment.startsWith(':')
              ? '[^/]+'
              : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/')}/?$`,
    );
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      this.routes.push({ pattern, method: method.toUpperCase() });
    }
  }

  /** The methods `path` (no query string) answers, in a stable order; empty: no such path. */
  allowedFor(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) methods.add(route.method);
    return [...methods].sort();
  }
}
