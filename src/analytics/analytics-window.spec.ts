import { ValidationFailedError } from '@helpdesk/common';
import { resolveTrendWindow, resolveWindow } from './analytics-window';

const now = new Date('2026-03-31T12:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe('analytics windows [from, to)', () => {
  it.each([
    ['neither', undefined, undefined, '2026-03-01T12:00:00.000Z', '2026-03-31T12:00:00.000Z'],
    [
      'only from',
      '2026-01-01T00:00:00Z',
      undefined,
      '2026-01-01T00:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
    ],
    [
      'only to',
      undefined,
      '2026-02-01T00:00:00Z',
      '2026-01-02T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ],
    [
      'both',
      '2020-01-01T00:00:00Z',
      '2020-02-01T00:00:00Z',
      '2020-01-01T00:00:00.000Z',
      '2020-02-01T00:00:00.000Z',
    ],
  ])('defaults %s to the 30 days before to, and to to now', (_, from, to, start, end) => {
    const window = resolveWindow(from ? at(from) : undefined, to ? at(to) : undefined, now);
    expect(window).toEqual({ from: at(start), to: at(end) });
  });

  it.each([
    ['equal', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['reversed', '2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z'],
  ])('refuses %s bounds with a 422', (_, from, to) => {
    expect(() => resolveWindow(at(from), at(to), now)).toThrow(ValidationFailedError);
  });

  it.each([
    ['day', '2023-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['day', '2022-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
    ['week', '2016-06-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['week', '2010-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
    ['month', '1997-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['month', '1990-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
  ] as const)('bounds a %s trend (%s … %s allowed: %s)', (interval, from, to, allowed) => {
    const call = () => resolveTrendWindow(at(from), at(to), interval, now);
    if (allowed) expect(call).not.toThrow();
    else expect(call).toThrow(ValidationFailedError);
  });
});
