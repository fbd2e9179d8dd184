import fc from 'fast-check';
import { deriveRatingKey, signRatingToken, verifyRatingToken } from './rating-token';

const key = deriveRatingKey('a-secret-that-is-long-enough-for-tests-0123456789');
const ticketId = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const now = new Date('2026-01-10T12:00:00.000Z');
const inAWeek = new Date('2026-01-17T12:00:00.000Z');

describe('signed rating tokens', () => {
  it('round-trips the ticket id and the expiry (to the second)', () => {
    const token = signRatingToken(key, ticketId, inAWeek);
    expect(verifyRatingToken(key, token, now)).toEqual({
      valid: true,
      ticketId,
      expiresAt: inAWeek,
    });
  });

  it('is refused once expired', () => {
    const token = signRatingToken(key, ticketId, inAWeek);
    expect(verifyRatingToken(key, token, inAWeek)).toEqual({ valid: false, reason: 'expired' });
  });

  it('is refused under another key (a different secret, or the raw secret itself)', () => {
    const token = signRatingToken(key, ticketId, inAWeek);
    expect(verifyRatingToken(deriveRatingKey('another-secret'), token, now)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses any single-character change to a valid token', () => {
    const token = signRatingToken(key, ticketId, inAWeek);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...alphabet),
        (index, replacement) => {
          fc.pre(token[index] !== replacement);
          const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
          const check = verifyRatingToken(key, tampered, now);
          // Base64url's last character can carry unused bits: a change there may decode to
          // the same bytes, which is the same token, not a forgery.
          if (check.valid) expect(check).toEqual(verifyRatingToken(key, token, now));
        },
      ),
    );
  });

  it('calls garbage malformed rather than throwing', () => {
    for (const garbage of ['', '.', 'abc', 'a.b.c', 'é.é', 'x'.repeat(500), `${'A'.repeat(27)}.`]) {
      expect(verifyRatingToken(key, garbage, now)).toMatchObject({ valid: false });
    }
  });
});
