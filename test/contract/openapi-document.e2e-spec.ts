import { writeFileSync } from 'node:fs';
import { createTestApp, type TestApp } from '@helpdesk/testing';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  it('dumps', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    writeFileSync('/tmp/contract-openapi.json', JSON.stringify(doc, null, 2));
  });
});
