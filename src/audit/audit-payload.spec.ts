import fc from 'fast-check';
import {
  canonicalJson,
  isSensitiveKey,
  REDACTED,
  toAuditJson,
  toAuditObject,
} from './audit-payload';

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'password_hash',
    'newPassword',
    'token',
    'access_token',
    'refreshToken',
    'secret',
    'webhook_secret',
    'key',
    'api_key',
    'apiKey',
    'idempotency_key',
    'body',
    'message',
    'internal_note',
    'comment',
    'authorization',
  ])('masks %s', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'email',
    'name',
    'role',
    'status',
    'subject',
    'message_length',
    'body_length',
    'note_id',
    'message_id',
    'key_prefix',
    'content_type',
    'token_count',
    'reason',
    'is_active',
  ])('keeps %s', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe('toAuditJson', () => {
  it('masks sensitive values at any depth, keeping the [old, new] shape of a change', () => {
    expect(
      toAuditJson({
        password: ['old-secret', 'new-secret'],
        name: ['Ada', 'Grace'],
        custom_fields: [
          { licence_key: 'K-1', plan: 'pro' },
          { licence_key: 'K-2', plan: 'max' },
        ],
        nested: { deeper: { token: 'tok', kept: 1 } },
      }),
    ).toEqual({
      password: [REDACTED, REDACTED],
      name: ['Ada', 'Grace'],
      custom_fields: [
        { licence_key: REDACTED, plan: 'pro' },
        { licence_key: REDACTED, plan: 'max' },
      ],
      nested: { deeper: { token: REDACTED, kept: 1 } },
    });
  });

  it('turns values into what jsonb gives back', () => {
    expect(
      toAuditJson({
        at: new Date('2026-11-21T09:30:00.000Z'),
        missing: undefined,
        nan: Number.NaN,
        big: 12n,
        list: [undefined, 1],
        text: 'a\0b\uD800c',
      }),
    ).toEqual({
      at: '2026-11-21T09:30:00.000Z',
      nan: null,
      big: '12',
      list: [null, 1],
      text: 'a\uFFFDb\uFFFDc',
    });
  });

  it('keeps well-formed astral characters', () => {
    expect(toAuditJson('ticket 🎫')).toBe('ticket 🎫');
  });

  it('makes an object of anything for changes and details', () => {
    expect(toAuditObject(undefined)).toEqual({});
    expect(toAuditObject({ a: 1 })).toEqual({ a: 1 });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it('gives the same text for a payload and for that payload read back from JSON storage', () => {
    fc.assert(
      fc.property(
        fc.anything({ withDate: true, withBigInt: true, withNullPrototype: true }),
        (value) => {
          const stored = toAuditJson(value);
          const readBack: unknown = JSON.parse(JSON.stringify(stored));
          expect(canonicalJson(readBack)).toBe(canonicalJson(stored));
        },
      ),
    );
  });
});
