import { ThrottledWarning } from './throttled-warning';

describe('ThrottledWarning', () => {
  it('logs the first warning, then at most one per interval', () => {
    const lines: string[] = [];
    let now = 1_000;
    const warnings = new ThrottledWarning(
      { warn: (m: string) => lines.push(m) },
      30_000,
      () => now,
    );
    warnings.warn('relay failed', new Error('ECONNREFUSED'));
    now += 29_999;
    warnings.warn('relay failed', new Error('again'));
    now += 1;
    warnings.warn('relay failed', 'a string');
    expect(lines).toEqual(['relay failed: ECONNREFUSED', 'relay failed: a string']);
  });
});
