import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { createStaff, createTestApp, openPublicTicket, type TestApp } from '@helpdesk/testing';

// API.md section 1: JSON routes take JSON (415 otherwise) and a body over the limit is a 413 the
// client can actually read.
describe('request bodies', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    const server: Server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t.close();
  });

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({
      status,
      body: { status, code },
    });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  const intake = {
    name: 'Requester',
    email: 'bodies@example.com',
    subject: 'Help',
    message: 'Something is broken.',
  };

  describe('415 for anything but application/json on a JSON route', () => {
    it.each([
      ['text/plain', JSON.stringify(intake)],
      ['text/plain; charset=utf-8', JSON.stringify(intake)],
      ['application/x-www-form-urlencoded', new URLSearchParams(intake).toString()],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
      ],
      ['application/xml', '<ticket/>'],
      ['application/merge-patch+json', JSON.stringify(intake)],
    ])('public intake refuses %s', async (type, body) => {
      const res = await t.http.post('/api/v1/tickets').set('content-type', type).send(body);
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses a form-encoded login (a cross-site form post) before it is read', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('email=a%40example.com&password=whatever-whatever');
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('applies to PATCH and PUT as well', async () => {
      const admin = await createStaff(t, 'admin');
      const ticket = await openPublicTicket(t);
      const patch = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(admin.auth)
        .set('content-type', 'text/plain')
        .send('{"priority":"high"}');
      expectProblem(patch, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const put = await t.http
        .put('/api/v1/admin/sla-policies/high')
        .set(admin.auth)
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('first_response_minutes=5');
      expectProblem(put, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('still takes JSON (with a charset) and bodiless POSTs', async () => {
      const res = await t.http
        .post('/api/v1/tickets')
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(intake));
      expect(res.status).toBe(201);
      const admin = await createStaff(t, 'admin');
      const logout = await t.http.post('/api/v1/auth/logout').set(admin.auth);
      expect(logout.status).not.toBe(415);
    });

    it('keeps multipart on upload routes, and refuses JSON there', async () => {
      const admin = await createStaff(t, 'admin');
      const ticket = await openPublicTicket(t);
      const upload = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(admin.auth)
        .attach('files', Buffer.from('hello\n'), 'hello.txt');
      expect(upload.status).toBe(201);
      const json = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(admin.auth)
        .send({ files: [] });
      expectProblem(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers an unknown route with 404, whatever its body', async () => {
      const res = await t.http
        .post('/api/v1/no-such-route')
        .set('content-type', 'text/plain')
        .send('x');
      expect(res.status).toBe(404);
    });
  });

  describe('413 that an ordinary client reads', () => {
    /** Streams `bytes` of JSON to the intake the way any HTTP client would, then reads the answer. */
    function sendLarge(bytes: number, chunked: boolean) {
      return new Promise<{ status: number; type: string; body: Record<string, unknown> }>(
        (resolve, reject) => {
          const filler = Buffer.alloc(bytes - 64, 'a');
          const head = Buffer.from(
            '{"name":"N","email":"big@example.com","subject":"S","message":"',
          );
          const tail = Buffer.from('"}');
          const total = head.length + filler.length + tail.length;
          const req = httpRequest(`${baseUrl}/api/v1/tickets`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(chunked ? {} : { 'content-length': String(total) }),
            },
          });
          // The client must get through the whole upload (no EPIPE or reset) and read the answer.
          let answer: { status: number; type: string; body: Record<string, unknown> } | undefined;
          req.on('error', reject);
          req.on('close', () => {
            if (!req.writableFinished) reject(new Error('the upload was cut off'));
            else if (!answer) reject(new Error('no response'));
            else resolve(answer);
          });
          req.on('response', (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              try {
                answer = {
                  status: res.statusCode ?? 0,
                  type: String(res.headers['content-type']),
                  body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<
                    string,
                    unknown
                  >,
                };
              } catch (error) {
                reject(error instanceof Error ? error : new Error(String(error)));
              }
            });
          });
          // Write it all, in 64 KiB pieces, honouring backpressure like a real upload.
          const pieces = [head];
          for (let offset = 0; offset < filler.length; offset += 65_536) {
            pieces.push(filler.subarray(offset, offset + 65_536));
          }
          pieces.push(tail);
          const writeNext = (): void => {
            while (pieces.length) {
              if (!req.write(pieces.shift())) {
                req.once('drain', writeNext);
                return;
              }
            }
            req.end();
          };
          writeNext();
        },
      );
    }

    it.each([
      ['with Content-Length', false],
      ['chunked', true],
    ])('12 MiB of JSON %s gets a 413 problem document, no broken pipe', async (_label, chunked) => {
      const res = await sendLarge(12 * 1024 * 1024, chunked);
      expect(res).toMatchObject({
        status: 413,
        body: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
      });
      expect(res.type).toMatch(/^application\/problem\+json/);
    });

    it('keeps serving after a refused large body', async () => {
      await sendLarge(3 * 1024 * 1024, false);
      const res = await t.http.get('/health/live');
      expect(res.status).toBe(200);
    });
  });
});
