import fc from 'fast-check';
import {
  BusinessCalendar,
  DEFAULT_BUSINESS_HOURS,
  type BusinessHoursDefinition,
  type WeeklyWindow,
} from './business-calendar';
import {
  addBusinessMinutes,
  addCalendarMinutes,
  businessMinutesBetween,
  calendarMinutesBetween,
  clockFor,
} from './business-clock';
import { TimeZoneOffsets } from './time-zone-offsets';

const MINUTE = 60_000;
const DAY = 86_400_000;

const at = (iso: string) => new Date(iso);
const weekdays = (start: string, end: string): WeeklyWindow[] =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const calendar = (overrides: Partial<BusinessHoursDefinition> = {}) =>
  BusinessCalendar.from({ ...DEFAULT_BUSINESS_HOURS, ...overrides });

const officeUtc = calendar(); // UTC, Mon–Fri 09:00–17:00
const officeBerlin = calendar({ timezone: 'Europe/Berlin' });
const officeNewYork = calendar({ timezone: 'America/New_York' });

describe('addBusinessMinutes / businessMinutesBetween — worked examples', () => {
  // [label, calendar, start, minutes, expected due]. Each row is also checked backwards:
  // businessMinutesBetween(start, due) must give the minutes back.
  const examples: [string, BusinessCalendar, string, number, string][] = [
    ['inside a window', officeUtc, '2026-11-23T10:00:00Z', 90, '2026-11-23T11:30:00Z'],
    ['before opening', officeUtc, '2026-11-23T07:00:00Z', 30, '2026-11-23T09:30:00Z'],
    ['after closing', officeUtc, '2026-11-23T18:00:00Z', 30, '2026-11-24T09:30:00Z'],
    ['ending exactly at closing', officeUtc, '2026-11-20T16:00:00Z', 60, '2026-11-20T17:00:00Z'],
    ['across a weekend', officeUtc, '2026-11-20T16:00:00Z', 120, '2026-11-23T10:00:00Z'],
    ['from a Saturday', officeUtc, '2026-11-21T12:00:00Z', 60, '2026-11-23T10:00:00Z'],
    ['a whole week', officeUtc, '2026-11-23T09:00:00Z', 5 * 480, '2026-11-27T17:00:00Z'],
    ['five weeks', officeUtc, '2026-11-23T10:00:00Z', 25 * 480, '2026-12-28T10:00:00Z'],
    ['seconds are kept', officeUtc, '2026-11-23T10:00:30.250Z', 1, '2026-11-23T10:01:30.250Z'],
    ['fractional minutes', officeUtc, '2026-11-23T16:59:00Z', 1.5, '2026-11-24T09:00:30Z'],
    [
      'over a holiday (Christmas on a Friday)',
      calendar({ holidays: ['2026-12-25'] }),
      '2026-12-24T16:30:00Z',
      60,
      '2026-12-28T09:30:00Z',
    ],
    [
      'over a holiday, read in the calendar’s zone (Berlin)',
      calendar({ timezone: 'Europe/Berlin', holidays: ['2026-12-24'] }),
      '2026-12-23T15:30:00Z',
      60,
      '2026-12-25T08:30:00Z',
    ],
    [
      'adjacent windows behave as one',
      calendar({ weekly: [...weekdays('09:00', '12:00'), ...weekdays('12:00', '17:00')] }),
      '2026-11-23T11:30:00Z',
      60,
      '2026-11-23T12:30:00Z',
    ],
    [
      'a lunch break is skipped',
      calendar({ weekly: [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')] }),
      '2026-11-23T11:30:00Z',
      60,
      '2026-11-23T13:30:00Z',
    ],
    [
      'a window ending at midnight runs into the next day’s window from midnight',
      calendar({
        weekly: [
          { day: 1, start: '18:00', end: '24:00' },
          { day: 2, start: '00:00', end: '02:00' },
        ],
      }),
      '2026-11-23T23:00:00Z',
      120,
      '2026-11-24T01:00:00Z',
    ],
    [
      'a window ending at midnight, target reached at midnight',
      calendar({ weekly: [{ day: 1, start: '22:00', end: '24:00' }] }),
      '2026-11-23T22:30:00Z',
      90,
      '2026-11-24T00:00:00Z',
    ],
    [
      'Berlin, Friday afternoon to Monday after spring forward',
      officeBerlin,
      '2026-03-27T15:00:00Z', // 16:00 CET
      120,
      '2026-03-30T08:00:00Z', // 10:00 CEST
    ],
    [
      'Berlin, Friday afternoon to Monday after fall back',
      officeBerlin,
      '2026-10-23T14:00:00Z', // 16:00 CEST
      120,
      '2026-10-26T09:00:00Z', // 10:00 CET
    ],
    [
      'New York, across the spring-forward weekend',
      officeNewYork,
      '2026-03-06T21:00:00Z', // Fri 16:00 EST
      120,
      '2026-03-09T14:00:00Z', // Mon 10:00 EDT
    ],
    [
      'Berlin, a Sunday window through the skipped hour (01:00–04:00 holds 2 h)',
      calendar({ timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '01:00', end: '04:00' }] }),
      '2026-03-28T23:00:00Z', // Sun 00:00 CET
      90,
      '2026-03-29T01:30:00Z', // 03:30 CEST
    ],
    [
      'Berlin, a Sunday window through the repeated hour (01:00–04:00 holds 4 h)',
      calendar({ timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '01:00', end: '04:00' }] }),
      '2026-10-24T23:00:00Z', // Sun 01:00 CEST
      180,
      '2026-10-25T02:00:00Z', // the second 02:00…03:00 (CET) is the 4th hour: 03:00 CET
    ],
  ];

  it.each(examples)('%s', (_label, cal, start, minutes, due) => {
    expect(addBusinessMinutes(at(start), minutes, cal).toISOString()).toBe(at(due).toISOString());
    expect(businessMinutesBetween(at(start), at(due), cal)).toBeCloseTo(minutes, 9);
  });

  it.each([
    [
      'a weekend holds no business time',
      officeUtc,
      '2026-11-21T00:00:00Z',
      '2026-11-23T00:00:00Z',
      0,
    ],
    ['a working week holds 40 h', officeUtc, '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z', 2400],
    ['signed when reversed', officeUtc, '2026-11-23T10:00:00Z', '2026-11-23T09:00:00Z', -60],
    [
      'spring forward: a 00:00–06:00 Sunday window holds 5 h',
      calendar({ timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '00:00', end: '06:00' }] }),
      '2026-03-28T00:00:00Z',
      '2026-03-30T00:00:00Z',
      300,
    ],
    [
      'fall back: a 00:00–06:00 Sunday window holds 7 h',
      calendar({ timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '00:00', end: '06:00' }] }),
      '2026-10-24T00:00:00Z',
      '2026-10-26T00:00:00Z',
      420,
    ],
    [
      'a window inside the skipped hour holds nothing that day',
      calendar({ timezone: 'Europe/Berlin', weekly: [{ day: 7, start: '02:00', end: '02:30' }] }),
      '2026-03-28T00:00:00Z',
      '2026-03-30T00:00:00Z',
      0,
    ],
    [
      'New York fall back: a 00:00–03:00 Sunday window holds 4 h',
      calendar({
        timezone: 'America/New_York',
        weekly: [{ day: 7, start: '00:00', end: '03:00' }],
      }),
      '2026-10-31T12:00:00Z',
      '2026-11-02T12:00:00Z',
      240,
    ],
  ])('between: %s', (_label, cal, from, to, minutes) => {
    expect(businessMinutesBetween(at(from), at(to), cal)).toBe(minutes);
  });

  it('answers the start itself for zero minutes, even outside business hours', () => {
    const saturday = at('2026-11-21T12:00:00Z');
    expect(addBusinessMinutes(saturday, 0, officeUtc)).toEqual(saturday);
  });

  it('finds a year of business time quickly (skips weeks, not minutes)', () => {
    const started = performance.now();
    const due = addBusinessMinutes(at('2026-01-05T09:00:00Z'), 52 * 2400, officeUtc);
    expect(due.toISOString()).toBe('2027-01-01T17:00:00.000Z');
    expect(performance.now() - started).toBeLessThan(1000); // minute-stepping takes far longer
  });

  it.each([
    ['negative minutes', () => addBusinessMinutes(at('2026-11-23T10:00:00Z'), -1, officeUtc)],
    ['NaN minutes', () => addBusinessMinutes(at('2026-11-23T10:00:00Z'), NaN, officeUtc)],
    ['an invalid date', () => addBusinessMinutes(new Date(NaN), 1, officeUtc)],
    ['an invalid date', () => businessMinutesBetween(new Date(NaN), new Date(), officeUtc)],
  ])('throws a RangeError for %s', (_label, call) => {
    expect(call).toThrow(RangeError);
  });

  it('calendar-time variants ignore the calendar', () => {
    expect(addCalendarMinutes(at('2026-11-21T12:00:00Z'), 90).toISOString()).toBe(
      '2026-11-21T13:30:00.000Z',
    );
    expect(calendarMinutesBetween(at('2026-11-21T12:00:00Z'), at('2026-11-23T12:00:00Z'))).toBe(
      2880,
    );
    expect(clockFor(false, officeUtc).addMinutes(at('2026-11-21T12:00:00Z'), 60)).toEqual(
      at('2026-11-21T13:00:00Z'),
    );
    expect(clockFor(true, officeUtc).addMinutes(at('2026-11-21T12:00:00Z'), 60)).toEqual(
      at('2026-11-23T10:00:00Z'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests against a slow, obviously-correct reference: step every minute, ask Intl for the
// wall-clock time of that minute, and check it against the raw (unmerged) windows and holidays.
// ---------------------------------------------------------------------------------------------

// Jest runs tests in a vm context where every global lookup (`Math`) is slow: the per-minute
// loops below use a module-level alias.
const floor = Math.floor;

/**
 * UTC offsets in whole minutes straight from Intl, independent of TimeZoneOffsets. Asking Intl
 * every minute would make each run take seconds: it asks every hour, and every minute of an hour
 * whose two ends disagree (that hour holds a transition).
 */
class ReferenceOffsets {
  private static readonly zones = new Map<string, ReferenceOffsets>();
  static of(zone: string): ReferenceOffsets {
    let offsets = ReferenceOffsets.zones.get(zone);
    if (!offsets) ReferenceOffsets.zones.set(zone, (offsets = new ReferenceOffsets(zone)));
    return offsets;
  }

  private readonly format: Intl.DateTimeFormat;
  private readonly hours = new Map<number, number>();
  private hour = NaN;
  private hourOffset: number | null = null;

  private constructor(zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Offset in minutes at UTC minute number `minute` (minutes since 1970). */
  at(minute: number): number {
    const hour = floor(minute / 60);
    if (hour !== this.hour) {
      this.hour = hour;
      const before = this.atHour(hour);
      this.hourOffset = before === this.atHour(hour + 1) ? before : null;
    }
    return this.hourOffset ?? this.exact(minute);
  }

  private atHour(hour: number): number {
    let offset = this.hours.get(hour);
    if (offset === undefined) this.hours.set(hour, (offset = this.exact(hour * 60)));
    return offset;
  }

  private exact(minute: number): number {
    const f: Record<string, number> = {};
    for (const p of this.format.formatToParts(minute * MINUTE)) {
      if (p.type !== 'literal') f[p.type] = Number(p.value);
    }
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute) / MINUTE - minute;
  }
}

/** Is a whole UTC minute business time? Raw (unmerged) windows, holidays as ISO strings. */
class Reference {
  private readonly offsets: ReferenceOffsets;
  /** open[weekday][minute of the day]; open[0] is all closed (holidays). */
  private readonly open = Array.from({ length: 8 }, () => new Uint8Array(1440));
  private readonly holidays: Set<string>;
  private date = NaN;
  private today: Uint8Array;

  constructor(definition: BusinessHoursDefinition) {
    this.offsets = ReferenceOffsets.of(definition.timezone);
    const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    for (const w of definition.weekly) {
      for (let m = toMinutes(w.start); m < toMinutes(w.end); m += 1) this.open[w.day][m] = 1;
    }
    this.holidays = new Set(definition.holidays);
    this.today = this.open[0];
  }

  isBusinessMinute(minute: number): boolean {
    const wall = minute + this.offsets.at(minute);
    const date = floor(wall / 1440);
    if (date !== this.date) {
      this.date = date;
      const d = new Date(date * DAY);
      const holiday = this.holidays.has(d.toISOString().slice(0, 10));
      this.today = this.open[holiday ? 0 : d.getUTCDay() === 0 ? 7 : d.getUTCDay()];
    }
    return this.today[wall - date * 1440] === 1;
  }

  /** Business minutes in [from, to), both whole minutes (ms). */
  between(from: number, to: number): number {
    let count = 0;
    for (let m = from / MINUTE; m < to / MINUTE; m += 1) if (this.isBusinessMinute(m)) count += 1;
    return count;
  }

  /** The end of the n-th business minute after start (start itself for n = 0). */
  add(start: number, minutes: number): number {
    let count = 0;
    let m = start / MINUTE;
    while (count < minutes) {
      if (this.isBusinessMinute(m)) count += 1;
      m += 1;
    }
    return m * MINUTE;
  }
}

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute DST shift
  'America/Santiago', // changes at local midnight
  'America/Havana', // changes at 00:00 / 01:00
  'Asia/Kathmandu', // +05:45, no DST
  'Pacific/Chatham', // +12:45 / +13:45
];

const FIVE_MINUTES_PER_DAY = 288;
const hhmm = (fiveMinutes: number) => {
  const minutes = fiveMinutes * 5;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** 0–3 windows for one weekday: sorted cut points on a 5-minute grid, sometimes split in two adjacent ones. */
const dayWindows = (day: number) =>
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: FIVE_MINUTES_PER_DAY }), { maxLength: 6 }),
      fc.boolean(),
    )
    .map(([cuts, split]) => {
      const points = [...cuts].sort((a, b) => a - b);
      const windows: WeeklyWindow[] = [];
      for (let i = 0; i + 1 < points.length; i += 2) {
        const [start, end] = [points[i], points[i + 1]];
        const middle = Math.floor((start + end) / 2);
        if (split && middle > start && middle < end) {
          windows.push({ day, start: hhmm(start), end: hhmm(middle) });
          windows.push({ day, start: hhmm(middle), end: hhmm(end) });
        } else {
          windows.push({ day, start: hhmm(start), end: hhmm(end) });
        }
      }
      return windows;
    });

const weekly = fc
  .tuple(...[1, 2, 3, 4, 5, 6, 7].map(dayWindows))
  .map((days) => days.flat())
  .map((windows) => (windows.length > 0 ? windows : weekdays('09:00', '17:00')));

/** Instants that land near the zone's offset changes half of the time. */
function interestingStart(zone: string) {
  const offsets = TimeZoneOffsets.of(zone);
  const changes: number[] = [];
  for (let year = 2024; year <= 2028; year += 1) {
    let t = Date.UTC(year, 0, 1);
    while (t < Date.UTC(year + 1, 0, 1)) {
      const segment = offsets.segmentAt(t);
      if (segment.start !== Date.UTC(year, 0, 1)) changes.push(segment.start);
      t = segment.end;
    }
  }
  const anywhere = fc.integer({
    min: Date.UTC(2024, 0, 1) / MINUTE,
    max: Date.UTC(2028, 11, 1) / MINUTE,
  });
  const nearChange =
    changes.length > 0
      ? fc
          .tuple(fc.constantFrom(...changes), fc.integer({ min: -10 * 1440, max: 2 * 1440 }))
          .map(([change, minutes]) => Math.floor(change / MINUTE) + minutes)
      : anywhere;
  return fc.oneof(anywhere, nearChange).map((minute) => minute * MINUTE);
}

const SPAN = 21 * 1440; // minutes: properties against the reference stay within three weeks

const scenario = fc
  .constantFrom(...ZONES)
  .chain((timezone) =>
    fc.record({
      timezone: fc.constant(timezone),
      weekly,
      start: interestingStart(timezone),
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -2, max: 22 }), { maxLength: 4 }),
      span: fc.integer({ min: 0, max: SPAN }),
    }),
  )
  .map(({ timezone, weekly: windows, start, holidayOffsets, span }) => {
    const definition: BusinessHoursDefinition = {
      timezone,
      weekly: windows,
      holidays: holidayOffsets.map((days) =>
        new Date(start + days * DAY).toISOString().slice(0, 10),
      ),
    };
    return { definition, start, span };
  });

describe('the business clock agrees with a minute-by-minute reference', () => {
  it('businessMinutesBetween counts the same business minutes', () => {
    fc.assert(
      fc.property(scenario, ({ definition, start, span }) => {
        const cal = BusinessCalendar.from(definition);
        const end = start + span * MINUTE;
        expect(businessMinutesBetween(new Date(start), new Date(end), cal)).toBe(
          new Reference(definition).between(start, end),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('addBusinessMinutes lands where the reference does', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true }), (s, fraction) => {
        const ref = new Reference(s.definition);
        const available = ref.between(s.start, s.start + s.span * MINUTE);
        const minutes = Math.floor(available * fraction);
        const cal = BusinessCalendar.from(s.definition);
        expect(addBusinessMinutes(new Date(s.start), minutes, cal).getTime()).toBe(
          new Reference(s.definition).add(s.start, minutes),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('algebra of the business clock', () => {
  // Any instant (not minute-aligned) and longer targets: these need no reference.
  const anyInstant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) });
  // Shown as its definition when a property fails.
  const calendars = scenario
    .map((s) => s.definition)
    .map((definition) => {
      const cal = BusinessCalendar.from(definition);
      return Object.assign(cal, { [fc.toStringMethod]: () => JSON.stringify(definition) });
    });
  const minutes = fc.oneof(
    fc.integer({ min: 0, max: 3000 }),
    fc.integer({ min: 0, max: 200_000 }),
    fc.double({ min: 0, max: 5000, noNaN: true }).map((m) => Math.round(m * 60_000) / 60_000),
  );
  // A sparse random calendar (one short window a week) needs centuries for 200 000 minutes.
  const withinTenYears = (cal: BusinessCalendar, m: number) =>
    Math.min(m, (cal.weekTotal / MINUTE) * 520);

  it('round-trips: between(start, add(start, m)) = m', () => {
    fc.assert(
      fc.property(calendars, anyInstant, minutes, (cal, start, wanted) => {
        const m = withinTenYears(cal, wanted);
        const due = addBusinessMinutes(new Date(start), m, cal);
        expect(businessMinutesBetween(new Date(start), due, cal)).toBeCloseTo(m, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('answers the earliest such instant: a millisecond earlier is not enough', () => {
    fc.assert(
      fc.property(calendars, anyInstant, minutes, (cal, start, wanted) => {
        const m = withinTenYears(cal, wanted);
        fc.pre(m > 0);
        const due = addBusinessMinutes(new Date(start), m, cal);
        expect(
          businessMinutesBetween(new Date(start), new Date(due.getTime() - 1), cal),
        ).toBeLessThan(m);
      }),
      { numRuns: 200 },
    );
  });

  it('is monotonic in the minutes and in the end instant', () => {
    fc.assert(
      fc.property(calendars, anyInstant, minutes, minutes, (cal, start, a, b) => {
        const [low, high] = [
          withinTenYears(cal, Math.min(a, b)),
          withinTenYears(cal, Math.max(a, b)),
        ];
        const first = addBusinessMinutes(new Date(start), low, cal);
        const second = addBusinessMinutes(new Date(start), high, cal);
        expect(first.getTime()).toBeLessThanOrEqual(second.getTime());
        expect(businessMinutesBetween(new Date(start), first, cal)).toBeLessThanOrEqual(
          businessMinutesBetween(new Date(start), second, cal),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('adds up: add(add(s, a), b) = add(s, a + b) and between is additive', () => {
    fc.assert(
      fc.property(
        calendars,
        anyInstant,
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (cal, start, wantedA, wantedB) => {
          const [a, b] = [withinTenYears(cal, wantedA), withinTenYears(cal, wantedB)];
          const s = new Date(start);
          const viaA = addBusinessMinutes(s, a, cal);
          expect(addBusinessMinutes(viaA, b, cal)).toEqual(addBusinessMinutes(s, a + b, cal));
          const end = addBusinessMinutes(s, a + b, cal);
          expect(
            businessMinutesBetween(s, viaA, cal) + businessMinutesBetween(viaA, end, cal),
          ).toBeCloseTo(businessMinutesBetween(s, end, cal), 9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never counts more business time than elapsed time, and is antisymmetric', () => {
    fc.assert(
      fc.property(calendars, anyInstant, anyInstant, (cal, a, b) => {
        const between = businessMinutesBetween(new Date(a), new Date(b), cal);
        expect(Math.abs(between)).toBeLessThanOrEqual(Math.abs(b - a) / MINUTE);
        expect(businessMinutesBetween(new Date(b), new Date(a), cal)).toBe(
          between === 0 ? 0 : -between,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('a 24/7 calendar without holidays is calendar time in every zone, DST or not', () => {
    const always = fc.constantFrom(...ZONES).map((timezone) =>
      BusinessCalendar.from({
        timezone,
        weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })),
        holidays: [],
      }),
    );
    fc.assert(
      fc.property(always, anyInstant, fc.integer({ min: 0, max: 100_000 }), (cal, start, m) => {
        const s = new Date(start);
        expect(addBusinessMinutes(s, m, cal)).toEqual(addCalendarMinutes(s, m));
        const later = new Date(start + m * 37_000);
        expect(businessMinutesBetween(s, later, cal)).toBeCloseTo(
          calendarMinutesBetween(s, later),
          9,
        );
      }),
      { numRuns: 200 },
    );
  });
});
