import { UUID_PATTERN, uuidv7 } from './uuid-v7';

describe('uuidv7', () => {
  it('is a well-formed version 7 UUID', () => {
    const id = uuidv7();
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time', () => {
    const earlier = uuidv7(Date.UTC(2026, 0, 1));
    const later = uuidv7(Date.UTC(2026, 0, 1) + 1);
    expect(earlier < later).toBe(true);
  });

  it('encodes the millisecond timestamp in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 21, 9, 30);
    const id = uuidv7(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});
