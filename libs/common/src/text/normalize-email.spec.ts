import { normalizeEmail } from './normalize-email';

describe('normalizeEmail', () => {
  it.each([
    ['Victim@Example.COM', 'victim@example.com'],
    ['  victim@example.com ', 'victim@example.com'],
    ['ｖｉｃｔｉｍ@example.com', 'victim@example.com'], // fullwidth (NFKC)
    ['vİctim@example.com', 'vi\u0307ctim@example.com'], // dotted capital I: not plain "i"
    ['VI\u0307CTIM@example.com', 'vi\u0307ctim@example.com'],
    ['caf\u0065\u0301@example.com', 'café@example.com'], // decomposed é composes
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const email of ['vİctim@x.test', 'ＡＢＣ@x.test', 'ẞ@x.test', 'ǅ@x.test', 'ﬁ@x.test']) {
      const once = normalizeEmail(email);
      expect(normalizeEmail(once)).toBe(once);
    }
  });
});
