import type request from 'supertest';
import { createStaff, createTestApp, openPublicTicket, type TestApp } from '@helpdesk/testing';

// Bugs the resilience suite's fuzzer found (docs/reliability.md), each pinned by a fast test here.
describe('hardening regressions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  it('answers a body nested thousands of levels deep with 400, not a stack overflow (500)', async () => {
    const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const deepArray = '['.repeat(5000) + ']'.repeat(5000);
    const login = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(deepObject);
    expectProblem(login, 400, 'MALFORMED_REQUEST');
    const admin = await createStaff(t, 'admin');
    const create = await t.http
      .post('/api/v1/admin/tickets')
      .set(admin.auth)
      .set('content-type', 'application/json')
      .send(deepArray);
    expectProblem(create, 400, 'MALFORMED_REQUEST');
  });

  it('answers an over-long path parameter with a 422 problem document (was Fastify JSON 414)', async () => {
    const res = await t.http.get(`/api/v1/portal/tickets/${'x'.repeat(3000)}`);
    expectProblem(res, 422, 'VALIDATION_FAILED');
  });

  it('answers oversized request headers with a 431 problem document (was Fastify JSON)', async () => {
    const res = await t.http.get(`/api/v1/admin/tickets?q=${'a'.repeat(70_000)}`);
    expectProblem(res, 431, 'MALFORMED_REQUEST');
  });

  it('refuses null for ticket fields that cannot be cleared with 422 (tags: null was a 500)', async () => {
    const manager = await createStaff(t, 'support_manager');
    const ticket = await openPublicTicket(t);
    for (const field of ['tags', 'subject', 'custom_fields', 'priority']) {
      const res = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ [field]: null });
      expectProblem(res, 422, 'VALIDATION_FAILED');
    }
    // category is nullable: clearing it still works
    await t.http
      .patch(`/api/v1/admin/tickets/${ticket.id}`)
      .set(manager.auth)
      .send({ category: null })
      .expect(200);
  });

  it('documents the 204/202 answers it gives (the OpenAPI document declared none)', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths['/api/v1/auth/logout'].post.responses)).toContain('204');
    expect(Object.keys(doc.paths['/api/v1/auth/magic-link'].post.responses)).toContain('202');
    expect(Object.keys(doc.paths['/api/v1/admin/tickets/{id}'].delete.responses)).toContain('204');
    expect(
      Object.keys(doc.paths['/api/v1/admin/tickets/{id}/notes/{noteId}'].delete.responses),
    ).toContain('204');
    expect(Object.keys(doc.paths['/api/v1/admin/api-keys/{id}'].delete.responses)).toContain('204');
  });
});
