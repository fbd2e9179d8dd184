import { RouteMethods } from './route-methods';

describe('RouteMethods', () => {
  const routes = new RouteMethods();
  routes.add(['GET', 'HEAD'], '/api/v1/admin/tickets');
  routes.add('POST', '/api/v1/admin/tickets');
  routes.add('PATCH', '/api/v1/admin/tickets/:id');
  routes.add('GET', '/api/v1/admin/tickets/:id');
  routes.add('PATCH', '/api/v1/admin/tickets/:id/status');
  routes.add('OPTIONS', '*');
  routes.add('GET', '/docs/*');

  it.each([
    ['/api/v1/admin/tickets', ['GET', 'HEAD', 'POST']],
    ['/api/v1/admin/tickets/', ['GET', 'HEAD', 'POST']],
    ['/api/v1/admin/tickets/0193', ['GET', 'PATCH']],
    ['/api/v1/admin/tickets/0193/status', ['PATCH']],
    ['/docs/swagger-ui.css', ['GET']],
    ['/api/v1/admin/tickets/0193/nope', []],
    ['/nowhere', []],
  ])('%s answers %j', (path, methods) => {
    expect(routes.allowedFor(path)).toEqual(methods);
  });

  it('does not let a path parameter span segments or a dot act as a wildcard', () => {
    expect(routes.allowedFor('/api/v1/admin/tickets/a/b')).toEqual([]);
    routes.add('GET', '/a.b');
    expect(routes.allowedFor('/axb')).toEqual([]);
  });
});
