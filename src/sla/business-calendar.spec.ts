import {
  BusinessCalendar,
  DEFAULT_BUSINESS_HOURS,
  isoWeekday,
  localDayNumber,
  normalizeBusinessHours,
  validateBusinessHours,
  type BusinessHoursDefinition,
} from './business-calendar';

const valid = (overrides: Partial<BusinessHoursDefinition> = {}): BusinessHoursDefinition => ({
  ...DEFAULT_BUSINESS_HOURS,
  ...overrides,
});

describe('validateBusinessHours', () => {
  it('accepts the default, windows ending at 24:00 and adjacent windows', () => {
    expect(validateBusinessHours(DEFAULT_BUSINESS_HOURS)).toEqual([]);
    expect(
      validateBusinessHours(
        valid({
          timezone: 'America/New_York',
          weekly: [
            { day: 1, start: '00:00', end: '12:00' },
            { day: 1, start: '12:00', end: '24:00' },
            { day: 7, start: '22:00', end: '24:00' },
          ],
          holidays: ['2026-12-25', '2028-02-29'],
        }),
      ),
    ).toEqual([]);
  });

  it.each<[string, Partial<BusinessHoursDefinition>, string]>([
    ['an unknown time zone', { timezone: 'Mars/Base' }, 'timezone'],
    ['a bare offset', { timezone: '+02:00' }, 'timezone'],
    ['no windows at all', { weekly: [] }, 'weekly'],
    ['day 0', { weekly: [{ day: 0, start: '09:00', end: '17:00' }] }, 'weekly[0].day'],
    ['day 8', { weekly: [{ day: 8, start: '09:00', end: '17:00' }] }, 'weekly[0].day'],
    ['a start of 24:00', { weekly: [{ day: 1, start: '24:00', end: '24:00' }] }, 'weekly[0].start'],
    ['a start of 9:00', { weekly: [{ day: 1, start: '9:00', end: '17:00' }] }, 'weekly[0].start'],
    ['an end of 24:30', { weekly: [{ day: 1, start: '09:00', end: '24:30' }] }, 'weekly[0].end'],
    [
      'an end before the start',
      { weekly: [{ day: 1, start: '17:00', end: '09:00' }] },
      'weekly[0].end',
    ],
    ['an empty window', { weekly: [{ day: 1, start: '09:00', end: '09:00' }] }, 'weekly[0].end'],
    [
      'overlapping windows on one day',
      {
        weekly: [
          { day: 2, start: '09:00', end: '13:00' },
          { day: 2, start: '12:00', end: '17:00' },
        ],
      },
      'weekly[1]',
    ],
    ['a date that does not exist', { holidays: ['2026-02-30'] }, 'holidays[0]'],
    ['a non-leap 29 February', { holidays: ['2026-02-29'] }, 'holidays[0]'],
    ['a date in another format', { holidays: ['2026-01-01', '25/12/2026'] }, 'holidays[1]'],
  ])('reports %s', (_label, overrides, field) => {
    expect(validateBusinessHours(valid(overrides))).toEqual([
      expect.objectContaining({ field, message: expect.any(String) }),
    ]);
  });

  it('reports every problem at once', () => {
    const errors = validateBusinessHours({
      timezone: 'Nowhere',
      weekly: [{ day: 9, start: '09:00', end: '17:00' }],
      holidays: ['tomorrow'],
    });
    expect(errors.map((e) => e.field)).toEqual(['timezone', 'weekly[0].day', 'holidays[0]']);
  });
});

describe('normalizeBusinessHours', () => {
  it('orders windows by day and start and de-duplicates holidays, keeping windows as given', () => {
    expect(
      normalizeBusinessHours({
        timezone: 'UTC',
        weekly: [
          { day: 2, start: '13:00', end: '17:00' },
          { day: 1, start: '12:00', end: '17:00' },
          { day: 2, start: '09:00', end: '12:00' },
          { day: 1, start: '09:00', end: '12:00' },
        ],
        holidays: ['2026-12-26', '2026-12-25', '2026-12-26'],
      }),
    ).toEqual({
      timezone: 'UTC',
      weekly: [
        { day: 1, start: '09:00', end: '12:00' },
        { day: 1, start: '12:00', end: '17:00' },
        { day: 2, start: '09:00', end: '12:00' },
        { day: 2, start: '13:00', end: '17:00' },
      ],
      holidays: ['2026-12-25', '2026-12-26'],
    });
  });
});

describe('BusinessCalendar', () => {
  it('refuses an invalid definition', () => {
    expect(() => BusinessCalendar.from(valid({ timezone: 'Nowhere' }))).toThrow(RangeError);
  });

  it('totals a week of windows, merging adjacent ones', () => {
    const calendar = BusinessCalendar.from(
      valid({
        weekly: [
          { day: 1, start: '09:00', end: '12:00' },
          { day: 1, start: '12:00', end: '17:00' },
          { day: 6, start: '10:00', end: '12:00' },
        ],
      }),
    );
    expect(calendar.weekTotal).toBe(10 * 3_600_000);
  });

  it('reads day numbers and ISO weekdays like Date does', () => {
    expect(localDayNumber('1970-01-01')).toBe(0);
    expect(localDayNumber('2026-11-23')).toBe(Date.UTC(2026, 10, 23) / 86_400_000);
    expect(isoWeekday(localDayNumber('2026-11-23') as number)).toBe(1); // a Monday
    expect(isoWeekday(localDayNumber('2026-11-22') as number)).toBe(7); // a Sunday
    expect(isoWeekday(localDayNumber('1969-12-31') as number)).toBe(3); // before the epoch
  });
});
