import { noneMatchHolds } from './conditional-get';
import { parseIfMatch } from './if-match';
import { locationOf } from './location';

describe('locationOf', () => {
  it.each([
    ['/t/{id}', {}, { id: 'a' }, '/t/a'],
    ['/t/:id/notes/{id}', { id: 'x' }, { id: 'n' }, '/t/x/notes/n'],
    ['/p/{ticket.id}', {}, { ticket: { id: 'a b' } }, '/p/a%20b'],
    ['/t/{id}', {}, {}, null],
    ['/t/:id', {}, { id: 'a' }, null],
    ['/t/{id}', {}, { id: { nested: true } }, null],
  ])('%s', (template, params, body, expected) => {
    expect(locationOf(template, params, body)).toBe(expected);
  });
});

describe('If-None-Match (weak comparison) and If-Match (strong)', () => {
  it.each([
    ['"3"', '"3"', false],
    ['W/"3"', '"3"', false],
    ['"2", "3"', '"3"', false],
    ['*', '"3"', false],
    ['"4"', '"3"', true],
  ])('If-None-Match %s against %s holds: %s', (header, etag, holds) => {
    expect(noneMatchHolds(header, etag)).toBe(holds);
  });

  it('If-Match takes an issued tag and refuses a weak one', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(() => parseIfMatch('W/"3"')).toThrow(/strongly/);
  });
});
