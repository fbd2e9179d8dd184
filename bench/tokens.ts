// Access tokens the app accepts: HS256 JWTs with the app's payload ({sub, sid, typ: 'access'}),
// signed with the bench's fixed JWT_SECRET (src/auth/token.service.ts signs the same shape).
import { createHmac, randomUUID } from 'node:crypto';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** `sessionId` must be a live `auth_session` family: the app checks it (SessionLiveness). */
export function signAccessToken(
  secret: string,
  userId: string,
  sessionId: string = randomUUID(),
  ttlSeconds = 4 * 3600,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      sub: userId,
      sid: sessionId,
      typ: 'access',
      iat: now,
      exp: now + ttlSeconds,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${base64url(signature)}`;
}
