import { createTestApp, type TestApp } from '@helpdesk/testing';

describe('multipart/form-data support', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('registers @fastify/multipart on the application', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    expect(fastify.hasContentTypeParser('multipart/form-data')).toBe(true);
    expect(fastify.hasRequestDecorator('parts')).toBe(true);
  });

  it('still answers a multipart request to an unknown route with a problem document', async () => {
    const res = await t.http
      .post('/api/v1/no-such-upload')
      .attach('files', Buffer.from('hello'), 'a.txt')
      .expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
