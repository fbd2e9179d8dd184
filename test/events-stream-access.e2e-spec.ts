import { JwtService } from '@nestjs/jwt';
import {
  type SignedInUser,
  type TestApp,
  createStaff,
  createTestApp,
  eventually,
} from '@helpdesk/testing';
import { baseUrlOf, openSse, type SseClient } from '@helpdesk/testing/sse-client';
import { EventStreamService } from 'src/events/event-stream.service';

/**
 * Issue 21: an open event stream re-checks its caller and ends with a `stream.closed` frame
 * saying why; open streams are capped per caller and per process.
 */
describe('the event stream re-checks its caller (issue 21)', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let url: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      EVENT_STREAM_RECHECK_MS: '100',
      EVENT_STREAMS_PER_CALLER: '2',
      EVENT_STREAMS_PER_PROCESS: '4',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `${baseUrlOf(t.app)}/api/v1/admin/events/stream`;
    admin = await createStaff(t, 'admin');
  });

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    const service = t.app.get(EventStreamService);
    await eventually(() => service.openStreams === 0, {
      what: 'every stream let go',
      timeoutMs: 20_000,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const open = async (headers: Record<string, string>) => {
    const stream = await openSse(url, headers);
    streams.push(stream);
    return stream;
  };

  const closingReason = async (stream: SseClient) => {
    await stream.ended;
    const last = stream.frames[stream.frames.length - 1];
    expect(last?.event).toBe('stream.closed');
    return JSON.parse(last.data) as { code: string; detail: string };
  };

  it('ends the stream of a user who is deactivated while it is open', async () => {
    const agent = await createStaff(t, 'support');
    const stream = await open(agent.auth);
    expect(stream.status).toBe(200);
    await t.http
      .patch(`/api/v1/admin/users/${agent.user.id}`)
      .set(admin.auth)
      .send({ is_active: false })
      .expect(200);
    expect((await closingReason(stream)).code).toBe('ACCOUNT_DISABLED');
  });

  it('ends a stream opened with an API key once the key is revoked', async () => {
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'stream reader', role: 'support' })
      .expect(201);
    const stream = await open({ 'X-API-Key': created.body.key as string });
    expect(stream.status).toBe(200);
    await t.http.delete(`/api/v1/admin/api-keys/${created.body.id}`).set(admin.auth).expect(204);
    expect((await closingReason(stream)).code).toBe('UNAUTHENTICATED');
  });

  it('ends a stream when its access token expires', async () => {
    const agent = await createStaff(t, 'support');
    const jwt = t.app.get(JwtService);
    const { sid } = jwt.decode<{ sid: string }>(agent.token);
    const shortLived = await jwt.signAsync(
      { sub: agent.user.id, sid, typ: 'access' },
      { expiresIn: 1 },
    );
    const stream = await open({ Authorization: `Bearer ${shortLived}` });
    expect(stream.status).toBe(200);
    expect((await closingReason(stream)).code).toBe('TOKEN_EXPIRED');
  });

  it('answers 429 RATE_LIMITED with Retry-After beyond the streams one caller may hold', async () => {
    const agent = await createStaff(t, 'support');
    await open(agent.auth);
    await open(agent.auth);
    const third = await open(agent.auth);
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(await third.body())).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('answers 429 beyond the streams one process holds, and takes a new one once one closes', async () => {
    const callers = await Promise.all([1, 2, 3, 4, 5].map(() => createStaff(t, 'support')));
    for (const caller of callers.slice(0, 4)) expect((await open(caller.auth)).status).toBe(200);
    const fifth = await open(callers[4].auth);
    expect(fifth.status).toBe(429);
    expect(fifth.headers['retry-after']).toMatch(/^\d+$/);

    streams[0].close();
    const service = t.app.get(EventStreamService);
    await eventually(() => service.openStreams === 3, {
      what: 'one stream let go',
      timeoutMs: 20_000,
    });
    expect((await open(callers[4].auth)).status).toBe(200);
  });
});
