import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { tinyPng } from '@helpdesk/testing/sample-files';

const LIMIT = 2048;

// An app of its own with a 2 KiB per-file limit. Passport keeps strategies process-wide, so this
// spec boots one app only and signs its tokens with it.
describe('attachment limits (API.md section 7: MAX_ATTACHMENT_BYTES, 10 files)', () => {
  let t: TestApp;
  let storageDir: string;
  let agent: SignedInUser;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'helpdesk-attachment-limits-'));
    t = await createTestApp({ MAX_ATTACHMENT_BYTES: String(LIMIT), STORAGE_DIR: storageDir });
    agent = await createStaff(t, 'support');
  });

  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  /** Every file under STORAGE_DIR, unfinished temp files included. */
  const everyFile = async (): Promise<string[]> => {
    const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(storageDir, join(e.parentPath, e.name)));
  };
  /** Rows for a ticket, soft-deleted ones included: a refused upload writes none. */
  const rowsFor = async (ticketId: string): Promise<number> => {
    const [row] = await t.app
      .get(DataSource)
      .query<{ count: string }[]>(`SELECT count(*) FROM attachment WHERE ticket_id = $1`, [
        ticketId,
      ]);
    return Number(row.count);
  };
  const upload = (ticketId: string) =>
    t.http.post(`/api/v1/admin/tickets/${ticketId}/attachments`).set(agent.auth);

  it('answers 413 for a file one byte over the limit and stores nothing', async () => {
    const ticket = await openPublicTicket(t);
    const before = await everyFile();
    const res = await upload(ticket.id)
      .attach('files', tinyPng(), 'fits.png')
      .attach('files', Buffer.alloc(LIMIT + 1, 'a'), 'big.txt')
      .expect(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'Each file may be at most 2 KiB.',
    });
    expect(await rowsFor(ticket.id)).toBe(0);
    expect(await everyFile()).toEqual(before);
  });

  it('answers 413 for a much larger file too, cutting it off rather than storing it', async () => {
    const ticket = await openPublicTicket(t);
    const before = await everyFile();
    await upload(ticket.id)
      .attach('files', Buffer.alloc(512 * 1024, 'a'), 'huge.log')
      .expect(413);
    expect(await rowsFor(ticket.id)).toBe(0);
    expect(await everyFile()).toEqual(before);
  });

  it('accepts a file of exactly the limit', async () => {
    const ticket = await openPublicTicket(t);
    const res = await upload(ticket.id)
      .attach('files', Buffer.alloc(LIMIT, 'a'), 'exact.txt')
      .expect(201);
    expect(res.body.items[0].size).toBe(LIMIT);
    expect(await rowsFor(ticket.id)).toBe(1);
  });

  it('answers 413 for 11 files and keeps none of the first ten', async () => {
    const ticket = await openPublicTicket(t);
    const before = await everyFile();
    let req = upload(ticket.id);
    for (let i = 0; i < 11; i += 1)
      req = req.attach('files', Buffer.from(`file ${i}\n`), `f${i}.txt`);
    const res = await req.expect(413);
    expect(res.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'At most 10 files per request.',
    });
    expect(await rowsFor(ticket.id)).toBe(0);
    expect(await everyFile()).toEqual(before);
  });

  it('applies the same limit to portal uploads', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Big file', message: 'Attaching it.' })
      .expect(201);
    const before = await everyFile();
    await t.http
      .post(`/api/v1/portal/tickets/${created.body.ticket.id}/attachments`)
      .set('X-Ticket-Token', created.body.access_token)
      .attach('files', Buffer.alloc(LIMIT + 1, 'a'), 'big.txt')
      .expect(413);
    expect(await rowsFor(created.body.ticket.id)).toBe(0);
    expect(await everyFile()).toEqual(before);
  });
});
