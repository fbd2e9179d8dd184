import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import {
  captureDomainEvents,
  createCustomer,
  createStaff,
  createTestApp,
  uniqueEmail,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { csvObjects, parseCsv } from './support/csv';

describe('CSV export GET /api/v1/admin/tickets/export (API.md section 6)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let captured: ReturnType<typeof captureDomainEvents>;
  const category = `export-${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin', { name: 'Export Admin' });
    captured = captureDomainEvents(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (overrides: Record<string, unknown>) =>
    (
      await t.http
        .post('/api/v1/admin/tickets')
        .set(admin.auth)
        .send({
          requester_email: uniqueEmail('export'),
          requester_name: 'Exported Requester',
          subject: 'Exported',
          message: 'Body',
          category,
          ...overrides,
        })
        .expect(201)
    ).body;
  const exportCsv = (query: string, who: SignedInUser = admin) =>
    t.http.get(`/api/v1/admin/tickets/export?${query}`).set(who.auth);

  it('streams a CSV attachment: header row, then one row per matching ticket', async () => {
    const first = await create({ subject: 'First export', priority: 'high', tags: ['a', 'b'] });
    const second = await create({ subject: 'Second export', assignee_id: admin.user.id });
    const res = await exportCsv(`category=${category}&sort=created_at`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const date = new Date().toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="tickets-${date}.csv"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.headers['transfer-encoding']).toBe('chunked');

    const [header] = parseCsv(res.text);
    expect(header.slice(0, 4)).toEqual(['number', 'id', 'subject', 'status']);
    const rows = csvObjects(res.text);
    expect(rows.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(rows[0]).toMatchObject({
      number: String(first.number),
      subject: 'First export',
      status: 'open',
      priority: 'high',
      category,
      channel: 'phone',
      tags: 'a;b',
      requester_name: 'Exported Requester',
      assignee_name: '',
      escalated: 'false',
      created_at: first.created_at,
      resolved_at: '',
    });
    expect(rows[1]).toMatchObject({
      assignee_name: 'Export Admin',
      assignee_email: admin.user.email,
    });
  });

  it('quotes as RFC 4180 says and neutralises formula cells', async () => {
    const subject = '=HYPERLINK("http://evil.example","click"), then\nmore';
    const ticket = await create({
      subject,
      custom_fields: { note: 'has "quotes", commas' },
      tags: ['@risk'],
      requester_name: '+Plus Name',
    });
    const res = await exportCsv(`category=${category}&q=${ticket.number}`).expect(200);
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.example"",""click""), then\nmore"');
    const [row] = csvObjects(res.text);
    expect(row.subject).toBe(`'${subject}`);
    expect(row.tags).toBe("'@risk");
    expect(row.requester_name).toBe("'+Plus Name");
    expect(JSON.parse(row.custom_fields)).toEqual({ note: 'has "quotes", commas' });
  });

  it('applies the list’s filters (status, priority, tag, assignee, created range) and sort', async () => {
    const urgent = await create({ priority: 'urgent', tags: ['filter-me'] });
    await t.http
      .patch(`/api/v1/admin/tickets/${urgent.id}/status`)
      .set(admin.auth)
      .send({ status: 'resolved', resolution_notes: 'Done' })
      .expect(200);
    const low = await create({ priority: 'low', tags: ['filter-me'], assignee_id: admin.user.id });
    const ids = async (query: string) =>
      csvObjects((await exportCsv(`category=${category}&${query}`).expect(200)).text).map(
        (r) => r.id,
      );

    expect(await ids('tag=filter-me&sort=-created_at')).toEqual([low.id, urgent.id]);
    expect(await ids('tag=filter-me&status=resolved')).toEqual([urgent.id]);
    expect(await ids('tag=filter-me&priority=low,normal')).toEqual([low.id]);
    expect(await ids(`tag=filter-me&assignee_id=${admin.user.id}`)).toEqual([low.id]);
    expect(await ids('tag=filter-me&assignee_id=none')).toEqual([urgent.id]);
    expect(await ids('created_to=2000-01-01T00:00:00Z')).toEqual([]);
    const byNumber = csvObjects((await exportCsv(`category=${category}&sort=-number`)).text);
    const numbers = byNumber.map((r) => Number(r.number));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO ticket_rating (id, ticket_id, score, source, rated_at) VALUES (gen_random_uuid(), $1, 4, 'portal', now())`,
        [urgent.id],
      );
    const [resolvedRow] = csvObjects(
      (await exportCsv(`category=${category}&status=resolved&tag=filter-me`)).text,
    );
    expect(resolvedRow).toMatchObject({
      csat_score: '4',
      status: 'resolved',
      resolution_notes: 'Done',
      resolved_at: expect.any(String),
    });
  });

  it('writes just the header row when nothing matches', async () => {
    const res = await exportCsv('category=nothing-matches-this').expect(200);
    expect(parseCsv(res.text)).toHaveLength(1);
    expect(res.headers['x-total-count']).toBe('0');
  });

  it('records ticket.exported with the filters and row count, committed before the rows', async () => {
    await create({ subject: 'Counted' });
    const res = await exportCsv(`category=${category}&status=open,in_progress`).expect(200);
    const exported = captured.ofType('ticket.exported', res.headers['x-export-id']);
    expect(exported).toHaveLength(1);
    const [{ event, context }] = exported;
    expect(event.resourceType).toBe('ticket_export');
    expect(event.details).toEqual({
      filters: { category, status: ['open', 'in_progress'] },
      row_count: Number(res.headers['x-total-count']),
    });
    expect(csvObjects(res.text)).toHaveLength(event.details.row_count as number);
    expect(context.actor).toMatchObject({ type: 'user', id: admin.user.id, role: 'admin' });
    const audit = await t.http
      .get(`/api/v1/admin/audit-logs?action=ticket.export&resource_id=${event.resourceId}`)
      .set(admin.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        resource_type: 'ticket_export',
        actor: { type: 'user', id: admin.user.id, role: 'admin' },
        details: {
          filters: { category, status: ['open', 'in_progress'] },
          row_count: event.details.row_count,
        },
      }),
    ]);
  });

  it('is admin only, and /export is never taken for a ticket id', async () => {
    // A 403 (the export's rule), not the 422 GET /admin/tickets/:id would give "export".
    for (const who of [agent, manager]) {
      const res = await exportCsv('', who).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    await exportCsv('', await createCustomer(t)).expect(403);
    await t.http.get('/api/v1/admin/tickets/export').expect(401);
  });

  it.each([
    ['a bad status', 'status=done'],
    ['paging (an export has none)', 'page=2'],
    ['an unknown sort', 'sort=subject'],
  ])('answers 422 for %s, recording nothing', async (_, query) => {
    const before = captured.ofType('ticket.exported').length;
    const res = await exportCsv(query).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(captured.ofType('ticket.exported')).toHaveLength(before);
  });

  it('gives its connection back when the client goes away mid-stream', async () => {
    // Enough rows that the response cannot fit in the socket buffers at once.
    const requester = (await createCustomer(t)).user.id;
    const bulkCategory = `${category}-abort`;
    await t.app.get(DataSource).query(
      `INSERT INTO ticket (id, subject, channel, requester_id, category)
       SELECT gen_random_uuid(), 'Abort ' || g || repeat('x', 180), 'web', $1, $2
       FROM generate_series(1, 20000) g`,
      [requester, bulkCategory],
    );
    const server = t.app.getHttpServer();
    if (!server.listening)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const openExports = async () =>
      Number(
        (
          await t.app
            .get(DataSource)
            .query(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'FETCH FORWARD%' AND state <> 'idle'`,
            )
        )[0].n,
      );
    const req = await new Promise<ClientRequest>((resolve, reject) => {
      const pending = httpRequest(
        {
          port,
          host: '127.0.0.1',
          path: `/api/v1/admin/tickets/export?category=${bulkCategory}`,
          headers: admin.auth,
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.once('data', () => {
            res.pause(); // stop reading: the server's cursor must now wait for us
            resolve(pending);
          });
        },
      );
      pending.on('error', (error) => (pending.destroyed ? undefined : reject(error)));
      pending.end();
    });
    // Not vacuous: the cursor (and its connection) is still held when the client goes away.
    expect(await openExports()).toBe(1);
    req.destroy();
    const deadline = Date.now() + 10_000;
    while ((await openExports()) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await openExports()).toBe(0);
    await t.app.get(DataSource).query('DELETE FROM ticket WHERE category = $1', [bulkCategory]);
  });
});
