import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type request from 'supertest';
import {
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { elfExecutable, tinyPdf, tinyPng, windowsExecutable } from '@helpdesk/testing/sample-files';

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Reads any response body as raw bytes (supertest would otherwise parse text and JSON). */
function binary(res: unknown, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}

type Headers = Record<string, string>;

interface Attachment {
  id: string;
  ticket_id: string;
  message_id: string | null;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  visibility: 'public' | 'internal';
  uploaded_by: { id: string | null; name: string };
  created_at: string;
  download_url: string;
}

describe('attachments (API.md sections 2, 5 and 7)', () => {
  let t: TestApp;
  let storageDir: string;
  let agent: SignedInUser;
  let otherAgent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'helpdesk-attachments-e2e-'));
    t = await createTestApp({ STORAGE_DIR: storageDir });
    agent = await createStaff(t, 'support', { name: 'Agent Attach' });
    otherAgent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  /** Stored objects (finished files, not temp files), relative to STORAGE_DIR. */
  const storedFiles = async (): Promise<string[]> => {
    const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(storageDir, join(e.parentPath, e.name)))
      .filter((path) => !path.startsWith('.incoming'))
      .sort();
  };

  const adminUpload = (ticketId: string, who: Headers = agent.auth) =>
    t.http.post(`/api/v1/admin/tickets/${ticketId}/attachments`).set(who);
  const portalUpload = (ticketId: string, who: Headers) =>
    t.http.post(`/api/v1/portal/tickets/${ticketId}/attachments`).set(who);
  const download = (id: string, who: Headers) =>
    t.http.get(`/api/v1/attachments/${id}/content`).set(who).buffer(true).parse(binary);
  const staffList = async (ticketId: string): Promise<Attachment[]> =>
    (await t.http.get(`/api/v1/admin/tickets/${ticketId}/attachments`).set(agent.auth).expect(200))
      .body.items;
  const tokenAuth = (token: string): Headers => ({ 'X-Ticket-Token': token });

  /** A ticket opened by a signed-in customer, with its ticket token. */
  const customerTicket = async (customer: SignedInUser) => {
    const res = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Attachment test', message: 'See the files.' })
      .expect(201);
    return { id: res.body.ticket.id as string, token: res.body.access_token as string };
  };

  /** Uploads one public and one internal file as `agent`; returns both. */
  const publicAndInternal = async (ticketId: string, marker = 'plain') => {
    const pub = await adminUpload(ticketId)
      .attach('files', Buffer.from(`public ${marker}\n`), `public-${marker}.txt`)
      .expect(201);
    const internal = await adminUpload(ticketId)
      .field('visibility', 'internal')
      .attach('files', Buffer.from(`internal ${marker}\n`), `internal-${marker}.txt`)
      .expect(201);
    return {
      pub: pub.body.items[0] as Attachment,
      internal: internal.body.items[0] as Attachment,
    };
  };

  describe('upload and download', () => {
    it('stores a real PNG and a text file and gives them back byte for byte', async () => {
      const ticket = await openPublicTicket(t);
      const png = tinyPng();
      const text = 'Grüße from the log file\nline 2\n';
      const before = await storedFiles();

      const res = await adminUpload(ticket.id)
        // Declared types are lies on purpose: the bytes decide.
        .attach('files', png, { filename: 'screenshot.png', contentType: 'application/pdf' })
        .attach('files', Buffer.from(text), { filename: 'app.log', contentType: 'image/png' })
        .expect(201);

      expect(res.body.items).toHaveLength(2);
      const [image, log] = res.body.items as Attachment[];
      expect(image).toEqual({
        id: expect.any(String),
        ticket_id: ticket.id,
        message_id: null,
        file_name: 'screenshot.png',
        content_type: 'image/png',
        size: png.length,
        sha256: sha256(png),
        visibility: 'public',
        uploaded_by: { id: agent.user.id, name: 'Agent Attach' },
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        download_url: `http://helpdesk.test/api/v1/attachments/${image.id}/content`,
      });
      expect(log).toMatchObject({
        file_name: 'app.log',
        content_type: 'text/plain',
        size: Buffer.byteLength(text),
        sha256: sha256(text),
      });
      expect((await storedFiles()).length).toBe(before.length + 2);

      const pngBack = await download(image.id, agent.auth).expect(200);
      expect(Buffer.compare(pngBack.body as Buffer, png)).toBe(0);
      expect(sha256(pngBack.body as Buffer)).toBe(image.sha256);
      expect(pngBack.headers['content-type']).toBe('image/png');
      expect(pngBack.headers['content-length']).toBe(String(png.length));
      expect(pngBack.headers['content-disposition']).toBe(
        `attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`,
      );
      expect(pngBack.headers['x-content-type-options']).toBe('nosniff');
      expect(pngBack.headers['content-security-policy']).toMatch(/\bsandbox\b/);
      expect(pngBack.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(pngBack.headers['cache-control']).toBe('private, no-store');

      const textBack = await download(log.id, agent.auth).expect(200);
      expect((textBack.body as Buffer).toString('utf8')).toBe(text);
      expect(sha256(textBack.body as Buffer)).toBe(log.sha256);
      expect(textBack.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(textBack.headers['content-length']).toBe(String(Buffer.byteLength(text)));
      expect(textBack.headers['content-disposition']).toMatch(/^attachment; filename="app\.log"/);

      expect((await staffList(ticket.id)).map((a) => a.id)).toEqual([image.id, log.id]);
    });

    it('keeps the files of one upload in the order they were sent', async () => {
      const ticket = await openPublicTicket(t);
      let req = adminUpload(ticket.id);
      for (let i = 0; i < 10; i += 1) req = req.attach('files', Buffer.from(`${i}\n`), `f${i}.txt`);
      const res = await req.expect(201);
      const names = Array.from({ length: 10 }, (_, i) => `f${i}.txt`);
      expect(res.body.items.map((a: Attachment) => a.file_name)).toEqual(names);
      expect((await staffList(ticket.id)).map((a) => a.file_name)).toEqual(names);
    });

    it('sanitises file names and sends a safe Content-Disposition back', async () => {
      const ticket = await openPublicTicket(t);
      const res = await adminUpload(ticket.id)
        .attach('files', tinyPdf(), { filename: '../../etc/Résumé "final".pdf' })
        .expect(201);
      const pdf = res.body.items[0] as Attachment;
      expect(pdf.file_name).toBe('Résumé _final_.pdf');
      expect(pdf.content_type).toBe('application/pdf');
      const back = await download(pdf.id, agent.auth).expect(200);
      expect(back.headers['content-disposition']).toBe(
        `attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_.pdf`,
      );
    });

    it.each([
      ['an ELF executable renamed .png', elfExecutable(), 'cute-cat.png'],
      ['a Windows executable renamed .png', windowsExecutable(), 'invoice.png'],
      ['an HTML page', Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.txt'],
      [
        'an SVG image',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        'logo.svg',
      ],
      ['a shell script', Buffer.from('#!/bin/sh\necho pwned\n'), 'notes.txt'],
    ])('answers 415 for %s and keeps nothing', async (_name, bytes, filename) => {
      const ticket = await openPublicTicket(t);
      const before = await storedFiles();
      const res = await adminUpload(ticket.id)
        .attach('files', tinyPng(), 'fine.png')
        .attach('files', bytes, { filename, contentType: 'image/png' })
        .expect(415);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await staffList(ticket.id)).toEqual([]);
      expect(await storedFiles()).toEqual(before);
    });

    it('answers 422 for a bad visibility, an unknown field or no file, and keeps nothing', async () => {
      const ticket = await openPublicTicket(t);
      const before = await storedFiles();
      const cases: [(r: request.Test) => request.Test, string][] = [
        [(r) => r.field('visibility', 'secret').attach('files', tinyPng(), 'a.png'), 'visibility'],
        [(r) => r.field('owner', 'me').attach('files', tinyPng(), 'a.png'), 'owner'],
        [(r) => r.field('visibility', 'public'), 'files'],
      ];
      for (const [build, field] of cases) {
        const res = await build(adminUpload(ticket.id)).expect(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe(field);
      }
      expect(await staffList(ticket.id)).toEqual([]);
      expect(await storedFiles()).toEqual(before);
    });

    it('answers 415 for a JSON body and 404 for an unknown or deleted ticket', async () => {
      const ticket = await openPublicTicket(t);
      await adminUpload(ticket.id).send({ files: [] }).expect(415);
      await adminUpload('0190d7a5-1c2b-7a3e-9f00-000000000001')
        .attach('files', tinyPng(), 'a.png')
        .expect(404);
      await adminUpload('not-a-uuid').attach('files', tinyPng(), 'a.png').expect(422);

      const { pub } = await publicAndInternal(ticket.id);
      await t.http.delete(`/api/v1/admin/tickets/${ticket.id}`).set(admin.auth).expect(204);
      await adminUpload(ticket.id).attach('files', tinyPng(), 'a.png').expect(404);
      await download(pub.id, agent.auth).expect(404);
    });

    it('answers 404 for an unknown attachment and 422 for a malformed id', async () => {
      await download('0190d7a5-1c2b-7a3e-9f00-0000000000ff', agent.auth).expect(404);
      await download('nope', agent.auth).expect(422);
    });
  });

  describe('who may upload and list', () => {
    it('admits support and up (and staff API keys) on the staff routes, nobody else', async () => {
      const ticket = await openPublicTicket(t);
      const customer = await createCustomer(t);
      for (const who of [agent, manager, admin]) {
        await adminUpload(ticket.id, who.auth).attach('files', tinyPng(), 'a.png').expect(201);
      }
      await adminUpload(ticket.id, customer.auth).attach('files', tinyPng(), 'a.png').expect(403);
      await adminUpload(ticket.id, tokenAuth(ticket.accessToken))
        .attach('files', tinyPng(), 'a.png')
        .expect(401);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .attach('files', tinyPng(), 'a.png')
        .expect(401);
      await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(customer.auth)
        .expect(403);

      const key = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'CRM sync', role: 'support' })
        .expect(201);
      const viaKey = await adminUpload(ticket.id, { 'X-API-Key': key.body.key })
        .attach('files', tinyPng(), 'from-crm.png')
        .expect(201);
      expect(viaKey.body.items[0].uploaded_by).toEqual({ id: null, name: 'CRM sync' });
      expect(await staffList(ticket.id)).toHaveLength(4);
    });

    it('keeps staff off the portal route', async () => {
      const ticket = await openPublicTicket(t);
      await portalUpload(ticket.id, agent.auth).attach('files', tinyPng(), 'a.png').expect(403);
    });
  });

  describe('portal uploads', () => {
    it('are always public, whatever visibility says, and name the customer as uploader', async () => {
      const customer = await createCustomer(t, { name: 'Carla Customer' });
      const ticket = await customerTicket(customer);
      const res = await portalUpload(ticket.id, customer.auth)
        .field('visibility', 'internal')
        .attach('files', tinyPng(), 'my-screen.png')
        .expect(201);
      expect(res.body.items[0]).toMatchObject({
        visibility: 'public',
        uploaded_by: { id: customer.user.id, name: 'Carla Customer' },
      });
      const byToken = await portalUpload(ticket.id, tokenAuth(ticket.token))
        .field('visibility', 'no such visibility')
        .attach('files', Buffer.from('from the token\n'), 'token.txt')
        .expect(201);
      // A ticket token acts for the ticket's requester.
      expect(byToken.body.items[0]).toMatchObject({
        visibility: 'public',
        uploaded_by: { id: customer.user.id, name: 'Carla Customer' },
      });
      const staff = await staffList(ticket.id);
      expect(staff.map((a) => a.visibility)).toEqual(['public', 'public']);
    });

    it('answers 404 on another customer’s ticket and for another ticket’s token', async () => {
      const alice = await createCustomer(t);
      const bob = await createCustomer(t);
      const alices = await customerTicket(alice);
      const other = await openPublicTicket(t);
      const before = await storedFiles();
      await portalUpload(alices.id, bob.auth).attach('files', tinyPng(), 'a.png').expect(404);
      await portalUpload(alices.id, tokenAuth(other.accessToken))
        .attach('files', tinyPng(), 'a.png')
        .expect(404);
      expect(await storedFiles()).toEqual(before);
    });

    it('answers 409 TICKET_CLOSED on a closed ticket and keeps nothing', async () => {
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(manager.auth)
        .send({ status: 'resolved', resolution_notes: 'Done.' })
        .expect(200);
      // Resolved is not closed: the customer may still add a file.
      await portalUpload(ticket.id, customer.auth).attach('files', tinyPng(), 'a.png').expect(201);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(manager.auth)
        .send({ status: 'closed' })
        .expect(200);
      const before = await storedFiles();
      const res = await portalUpload(ticket.id, tokenAuth(ticket.token))
        .attach('files', tinyPng(), 'late.png')
        .expect(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
      expect(await storedFiles()).toEqual(before);
      expect(await staffList(ticket.id)).toHaveLength(1);
    });
  });

  describe('visibility', () => {
    it('shows customers and ticket tokens public attachments only; internal ones do not exist for them', async () => {
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const { pub, internal } = await publicAndInternal(ticket.id);

      for (const who of [customer.auth, tokenAuth(ticket.token)]) {
        const detail = await t.http.get(`/api/v1/portal/tickets/${ticket.id}`).set(who).expect(200);
        expect(detail.body.attachments.map((a: Attachment) => a.id)).toEqual([pub.id]);
        // Staff appear to customers by display name only.
        expect(detail.body.attachments[0].uploaded_by).toEqual({ id: null, name: 'Agent Attach' });
        const back = await download(pub.id, who).expect(200);
        expect((back.body as Buffer).toString()).toBe('public plain\n');
        const hidden = await download(internal.id, who).expect(404);
        expect(hidden.body.toString()).not.toContain(ticket.id);
      }

      const staffDetail = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      expect(staffDetail.body.attachments.map((a: Attachment) => a.id)).toEqual([
        pub.id,
        internal.id,
      ]);
      for (const who of [agent, otherAgent, manager, admin]) {
        await download(internal.id, who.auth).expect(200);
      }
    });

    it('answers 404 to another customer and to another ticket’s token', async () => {
      const alice = await createCustomer(t);
      const bob = await createCustomer(t);
      const alices = await customerTicket(alice);
      const bobs = await customerTicket(bob);
      const { pub } = await publicAndInternal(alices.id);
      await download(pub.id, bob.auth).expect(404);
      await download(pub.id, tokenAuth(bobs.token)).expect(404);
      await download(pub.id, {}).expect(401);
      await download(pub.id, tokenAuth('not-a-real-token')).expect(401);
    });

    it('never shows an internal attachment in any customer-facing response (marker scan)', async () => {
      const marker = `ATTACH-MARKER-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const opening = (
        await t.http.get(`/api/v1/portal/tickets/${ticket.id}`).set(customer.auth).expect(200)
      ).body.messages[0].id as string;
      const reply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'Here you go.' })
        .expect(201);
      // Internal files on the ticket, on the agent's reply and on the customer's own message.
      const internalIds: string[] = [];
      for (const messageId of [null, reply.body.id as string, opening]) {
        let req = adminUpload(ticket.id).field('visibility', 'internal');
        if (messageId) req = req.field('message_id', messageId);
        const res = await req
          .attach('files', Buffer.from(`${marker} secret\n`), `${marker}.txt`)
          .expect(201);
        internalIds.push(res.body.items[0].id);
      }
      const pub = await adminUpload(ticket.id)
        .field('message_id', reply.body.id)
        .attach('files', tinyPng(), 'public.png')
        .expect(201);

      const customerResponses = [
        await t.http.get(`/api/v1/portal/tickets/${ticket.id}`).set(customer.auth).expect(200),
        await t.http
          .get(`/api/v1/portal/tickets/${ticket.id}`)
          .set(tokenAuth(ticket.token))
          .expect(200),
        await t.http.get('/api/v1/portal/tickets').set(customer.auth).expect(200),
        await t.http
          .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
          .set(customer.auth)
          .send({ body: 'thanks' })
          .expect(201),
        await portalUpload(ticket.id, customer.auth)
          .attach('files', tinyPng(), 'mine.png')
          .expect(201),
        await t.http.get('/api/v1/auth/me').set(customer.auth).expect(200),
      ];
      for (const res of customerResponses) {
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(marker);
        for (const id of internalIds) expect(text).not.toContain(id);
        expect(text).not.toContain('"visibility":"internal"');
        expect(text).not.toContain(agent.user.id);
      }
      // Asked for by id, an internal attachment does not exist for the customer.
      for (const id of internalIds) {
        const res = await download(id, customer.auth).expect(404);
        expect(res.body.toString()).not.toContain(marker);
      }
      // The public one is there, on the reply, for the customer.
      const detail = customerResponses[0].body;
      const replyView = detail.messages.find((m: { id: string }) => m.id === reply.body.id);
      expect(replyView.attachments.map((a: Attachment) => a.id)).toEqual([pub.body.items[0].id]);
      // And the internal ones are really there for staff.
      const staff = await t.http.get(`/api/v1/admin/tickets/${ticket.id}`).set(agent.auth);
      expect(JSON.stringify(staff.body.attachments)).toContain(marker);
    });
  });

  describe('linking to a message', () => {
    it('shows attachments on their message, in the message list and the detail views', async () => {
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const reply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'Screenshot attached.' })
        .expect(201);
      expect(reply.body.attachments).toEqual([]);
      const linked = await adminUpload(ticket.id)
        .field('message_id', reply.body.id)
        .attach('files', tinyPng(), 'steps.png')
        .attach('files', Buffer.from('step 1\nstep 2\n'), 'steps.txt')
        .expect(201);
      const internal = await adminUpload(ticket.id)
        .field('message_id', reply.body.id)
        .field('visibility', 'internal')
        .attach('files', Buffer.from('for us\n'), 'internal.txt')
        .expect(201);
      expect(linked.body.items.map((a: Attachment) => a.message_id)).toEqual([
        reply.body.id,
        reply.body.id,
      ]);
      const publicIds = linked.body.items.map((a: Attachment) => a.id);
      const allIds = [...publicIds, internal.body.items[0].id];

      const messages = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/messages`)
        .set(agent.auth)
        .expect(200);
      const byId = (items: { id: string; attachments: Attachment[] }[], id: string) =>
        items.find((m) => m.id === id)!.attachments.map((a) => a.id);
      expect(byId(messages.body.items, reply.body.id)).toEqual(allIds);
      expect(messages.body.items[0].attachments).toEqual([]); // the opening message

      const staffDetail = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      expect(byId(staffDetail.body.messages, reply.body.id)).toEqual(allIds);

      const customerDetail = await t.http
        .get(`/api/v1/portal/tickets/${ticket.id}`)
        .set(customer.auth)
        .expect(200);
      expect(byId(customerDetail.body.messages, reply.body.id)).toEqual(publicIds);
      expect(customerDetail.body.attachments.map((a: Attachment) => a.id)).toEqual(publicIds);
    });

    it('answers 422 for a message of another ticket, an unknown one or a malformed id, and keeps nothing', async () => {
      const ticket = await openPublicTicket(t);
      const other = await openPublicTicket(t);
      const otherMessage = (
        await t.http.get(`/api/v1/admin/tickets/${other.id}/messages`).set(agent.auth).expect(200)
      ).body.items[0].id as string;
      const before = await storedFiles();
      for (const messageId of [
        otherMessage,
        '0190d7a5-1c2b-7a3e-9f00-0000000000aa',
        'not-a-uuid',
      ]) {
        const res = await adminUpload(ticket.id)
          .field('message_id', messageId)
          .attach('files', tinyPng(), 'a.png')
          .expect(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe('message_id');
      }
      expect(await staffList(ticket.id)).toEqual([]);
      expect(await storedFiles()).toEqual(before);
    });

    it('lets a customer attach files to their own messages only', async () => {
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const mine = await t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
        .set(customer.auth)
        .send({ body: 'Here is the error.' })
        .expect(201);
      const agentReply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'Thanks.' })
        .expect(201);
      const res = await portalUpload(ticket.id, tokenAuth(ticket.token))
        .field('message_id', mine.body.id)
        .attach('files', tinyPng(), 'error.png')
        .expect(201);
      expect(res.body.items[0].message_id).toBe(mine.body.id);
      const refused = await portalUpload(ticket.id, customer.auth)
        .field('message_id', agentReply.body.id)
        .attach('files', tinyPng(), 'spoof.png')
        .expect(422);
      expect(refused.body.errors[0].field).toBe('message_id');
    });
  });

  describe('deleting', () => {
    it('lets the uploader delete, removes the bytes, and forgets the attachment everywhere', async () => {
      const customer = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const before = await storedFiles();
      const { pub } = await publicAndInternal(ticket.id);
      const added = (await storedFiles()).filter((f) => !before.includes(f));
      expect(added).toHaveLength(2);

      await t.http.delete(`/api/v1/attachments/${pub.id}`).set(otherAgent.auth).expect(403);
      await t.http.delete(`/api/v1/attachments/${pub.id}`).set(agent.auth).expect(204);

      const after = await storedFiles();
      expect(after.filter((f) => added.includes(f))).toHaveLength(1); // the internal one stays
      await download(pub.id, agent.auth).expect(404);
      await download(pub.id, customer.auth).expect(404);
      await t.http.delete(`/api/v1/attachments/${pub.id}`).set(agent.auth).expect(404);
      expect((await staffList(ticket.id)).map((a) => a.id)).not.toContain(pub.id);
      const detail = await t.http
        .get(`/api/v1/portal/tickets/${ticket.id}`)
        .set(customer.auth)
        .expect(200);
      expect(detail.body.attachments).toEqual([]);
    });

    it('lets a support manager or admin delete anyone’s attachment, but not another agent', async () => {
      const ticket = await openPublicTicket(t);
      const { pub, internal } = await publicAndInternal(ticket.id);
      await t.http.delete(`/api/v1/attachments/${internal.id}`).set(otherAgent.auth).expect(403);
      await t.http.delete(`/api/v1/attachments/${internal.id}`).set(manager.auth).expect(204);
      await t.http.delete(`/api/v1/attachments/${pub.id}`).set(admin.auth).expect(204);
      expect(await staffList(ticket.id)).toEqual([]);
    });

    it('lets a customer delete their own uploads while the ticket is not closed, nothing else', async () => {
      const customer = await createCustomer(t);
      const stranger = await createCustomer(t);
      const ticket = await customerTicket(customer);
      const { pub, internal } = await publicAndInternal(ticket.id);
      const upload = async () =>
        (
          await portalUpload(ticket.id, customer.auth)
            .attach('files', tinyPng(), 'oops.png')
            .expect(201)
        ).body.items[0] as Attachment;
      const mine = await upload();
      const before = await storedFiles();

      // Ticket tokens reach only the portal routes and downloads (API.md section 2).
      await t.http
        .delete(`/api/v1/attachments/${mine.id}`)
        .set(tokenAuth(ticket.token))
        .expect(401);
      await t.http.delete(`/api/v1/attachments/${mine.id}`).set(stranger.auth).expect(404);
      await t.http.delete(`/api/v1/attachments/${pub.id}`).set(customer.auth).expect(403);
      await t.http.delete(`/api/v1/attachments/${internal.id}`).set(customer.auth).expect(404);
      await t.http.delete(`/api/v1/attachments/${mine.id}`).set(customer.auth).expect(204);
      expect((await storedFiles()).length).toBe(before.length - 1);

      const late = await upload();
      for (const status of [{ status: 'resolved', resolution_notes: 'ok' }, { status: 'closed' }]) {
        await t.http
          .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
          .set(manager.auth)
          .send(status)
          .expect(200);
      }
      const res = await t.http
        .delete(`/api/v1/attachments/${late.id}`)
        .set(customer.auth)
        .expect(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
      // Staff can still clean up a closed ticket.
      await t.http.delete(`/api/v1/attachments/${late.id}`).set(manager.auth).expect(204);
    });
  });

  describe('audit', () => {
    it('records one ticket.attachment.create per file and a ticket.attachment.delete', async () => {
      const ticket = await openPublicTicket(t);
      const res = await adminUpload(ticket.id)
        .field('visibility', 'internal')
        .attach('files', tinyPng(), 'a.png')
        .attach('files', Buffer.from('b\n'), 'b.txt')
        .expect(201);
      const [a, b] = res.body.items as Attachment[];
      await t.http.delete(`/api/v1/attachments/${a.id}`).set(agent.auth).expect(204);

      const log = await t.http
        .get(`/api/v1/admin/audit-logs?resource_type=ticket&resource_id=${ticket.id}`)
        .set(manager.auth)
        .expect(200);
      const entries = (
        log.body.items as {
          action: string;
          actor: { id: string };
          details: Record<string, unknown>;
        }[]
      ).filter((e) => e.action.startsWith('ticket.attachment.'));
      const pairs = entries.map((e) => [e.action, e.details.attachment_id]);
      expect(pairs).toHaveLength(3);
      expect(pairs).toEqual(
        expect.arrayContaining([
          ['ticket.attachment.create', a.id],
          ['ticket.attachment.create', b.id],
          ['ticket.attachment.delete', a.id],
        ]),
      );
      expect(entries.find((e) => e.details.attachment_id === b.id)).toMatchObject({
        actor: { id: agent.user.id },
        details: { size: b.size, content_type: 'text/plain', visibility: 'internal' },
      });
      // Ids and facts only: never the file's name.
      expect(JSON.stringify(entries)).not.toContain('b.txt');
    });
  });
});
