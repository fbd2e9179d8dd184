import fc from 'fast-check';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';

describe('jsonDepth', () => {
  it('counts nesting levels of objects and arrays', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ weekly: [{ day: 1 }] })).toBe(3);
  });

  it('stops at the limit on a body nested far deeper than the stack allows recursion', () => {
    // 100k levels: a recursive walk (class-transformer's) overflows the stack on this.
    const hostile = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonDepth(hostile)).toBe(MAX_JSON_DEPTH + 1);
  });

  it('never exceeds limit + 1 and agrees with a recursive count on small values', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(jsonDepth(value)).toBe(depthOf(value));
        expect(jsonDepth(value, 2)).toBe(Math.min(depthOf(value), 3));
      }),
      { numRuns: 200 },
    );
  });
});
