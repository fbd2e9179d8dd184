import fc from 'fast-check';
import { BusinessCalendar, DEFAULT_BUSINESS_HOURS } from './business-calendar';
import { addBusinessMinutes, clockFor } from './business-clock';
import {
  addPausedTime,
  DEFAULT_SLA_POLICIES,
  dueTimes,
  NO_PAUSE,
  pausedTimeBetween,
  slaState,
  targetState,
  validatePolicyTerms,
  type SlaPolicyTerms,
  type SlaSnapshot,
  type SlaTargetSnapshot,
} from './sla-rules';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();
const office = BusinessCalendar.from(DEFAULT_BUSINESS_HOURS); // UTC, Mon–Fri 09:00–17:00
const inBusinessHours = (terms: SlaPolicyTerms): SlaPolicyTerms => ({
  ...terms,
  businessHours: true,
});

describe('dueTimes', () => {
  it('counts calendar time for the default urgent policy (60/240), weekend or not', () => {
    const due = dueTimes(DEFAULT_SLA_POLICIES.urgent, office, at('2026-11-21T12:00:00Z'));
    expect({
      firstResponseAtRiskAt: iso(due.firstResponseAtRiskAt),
      firstResponseDueAt: iso(due.firstResponseDueAt),
      resolutionAtRiskAt: iso(due.resolutionAtRiskAt),
      resolutionDueAt: iso(due.resolutionDueAt),
    }).toEqual({
      firstResponseAtRiskAt: '2026-11-21T12:45:00.000Z',
      firstResponseDueAt: '2026-11-21T13:00:00.000Z',
      resolutionAtRiskAt: '2026-11-21T15:00:00.000Z',
      resolutionDueAt: '2026-11-21T16:00:00.000Z',
    });
  });

  it('counts business time across a weekend for a business-hours policy (normal, 480/2880)', () => {
    // Created Friday 16:00: one business hour left that day.
    const due = dueTimes(
      inBusinessHours(DEFAULT_SLA_POLICIES.normal),
      office,
      at('2026-11-20T16:00:00Z'),
    );
    expect(iso(due.firstResponseAtRiskAt)).toBe('2026-11-23T14:00:00.000Z'); // 60 + 300
    expect(iso(due.firstResponseDueAt)).toBe('2026-11-23T16:00:00.000Z'); // 60 + 420
    expect(iso(due.resolutionAtRiskAt)).toBe('2026-11-27T12:00:00.000Z'); // 2160 = 60 + 4×480 + 180
    expect(iso(due.resolutionDueAt)).toBe('2026-11-30T16:00:00.000Z'); // 2880 = 60 + 5×480 + 420
  });

  it('moves only the resolution instants out by a pause, in business time', () => {
    const policy = inBusinessHours(DEFAULT_SLA_POLICIES.normal);
    const created = at('2026-11-20T16:00:00Z');
    // waiting_customer from Friday 16:30 to Monday 10:00: 30 + 60 business minutes.
    const paused = pausedTimeBetween(
      at('2026-11-20T16:30:00Z'),
      at('2026-11-23T10:00:00Z'),
      office,
    );
    expect(paused).toEqual({ calendarMinutes: 3930, businessMinutes: 90 });
    const before = dueTimes(policy, office, created);
    const after = dueTimes(policy, office, created, paused);
    expect(after.firstResponseDueAt).toEqual(before.firstResponseDueAt);
    expect(after.firstResponseAtRiskAt).toEqual(before.firstResponseAtRiskAt);
    expect(iso(after.resolutionDueAt)).toBe('2026-12-01T09:30:00.000Z'); // Mon 16:00 + 90
    expect(iso(after.resolutionAtRiskAt)).toBe('2026-11-27T13:30:00.000Z'); // Fri 12:00 + 90
  });

  it('subtracts a pause in the new policy’s terms after a priority change', () => {
    const created = at('2026-11-20T16:00:00Z'); // Friday
    const weekend = pausedTimeBetween(
      at('2026-11-20T17:00:00Z'),
      at('2026-11-23T09:00:00Z'),
      office,
    );
    expect(weekend).toEqual({ calendarMinutes: 3840, businessMinutes: 0 });
    // Urgent counts around the clock: the weekend pause pushes resolution out by 64 h.
    const urgent = dueTimes(DEFAULT_SLA_POLICIES.urgent, office, created, weekend);
    expect(iso(urgent.resolutionDueAt)).toBe('2026-11-23T12:00:00.000Z'); // +240 +3840 minutes
    // Downgraded to a business-hours low policy: the weekend held no business time.
    const low = dueTimes(inBusinessHours(DEFAULT_SLA_POLICIES.low), office, created, weekend);
    expect(iso(low.firstResponseDueAt)).toBe('2026-11-25T16:00:00.000Z'); // 60 + 2×480 + 420
    expect(iso(low.resolutionDueAt)).toBe(
      iso(addBusinessMinutes(created, 5760, office)), // nothing to add
    );
  });

  it('counts nothing for a pause that ends before it starts', () => {
    expect(pausedTimeBetween(at('2026-11-23T10:00:00Z'), at('2026-11-23T09:00:00Z'), office)).toBe(
      NO_PAUSE,
    );
  });

  const policies = fc
    .record({
      firstResponseMinutes: fc.integer({ min: 1, max: 5000 }),
      extra: fc.integer({ min: 0, max: 20_000 }),
      businessHours: fc.boolean(),
    })
    .map(({ firstResponseMinutes, extra, businessHours }) => ({
      firstResponseMinutes,
      resolutionMinutes: firstResponseMinutes + extra,
      businessHours,
    }));
  const instants = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) });
  const calendars = fc
    .constantFrom('UTC', 'Europe/Berlin', 'America/New_York')
    .map((timezone) => BusinessCalendar.from({ ...DEFAULT_BUSINESS_HOURS, timezone }));

  it('orders the instants: at-risk before due, first response before resolution', () => {
    fc.assert(
      fc.property(policies, calendars, instants, (policy, calendar, created) => {
        const due = dueTimes(policy, calendar, new Date(created));
        expect(due.firstResponseAtRiskAt <= due.firstResponseDueAt).toBe(true);
        expect(due.resolutionAtRiskAt <= due.resolutionDueAt).toBe(true);
        expect(due.firstResponseDueAt <= due.resolutionDueAt).toBe(true);
        expect(new Date(created) <= due.firstResponseAtRiskAt).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('puts the at-risk instant where 75 % of the target has elapsed', () => {
    fc.assert(
      fc.property(policies, calendars, instants, (policy, calendar, created) => {
        const clock = clockFor(policy.businessHours, calendar);
        const due = dueTimes(policy, calendar, new Date(created));
        expect(clock.minutesBetween(new Date(created), due.resolutionAtRiskAt)).toBeCloseTo(
          policy.resolutionMinutes * 0.75,
          6,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('on resume, recomputing from created_at equals moving the due time out by the pause', () => {
    fc.assert(
      fc.property(
        policies,
        calendars,
        instants,
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })),
          {
            maxLength: 3,
          },
        ),
        (policy, calendar, created, gaps) => {
          // Successive pauses: run for a minutes, pause for b minutes, …
          const clock = clockFor(policy.businessHours, calendar);
          let cursor = created;
          let total = NO_PAUSE;
          let expected = dueTimes(policy, calendar, new Date(created)).resolutionDueAt;
          for (const [running, pausedFor] of gaps) {
            const pausedAt = new Date(cursor + running * 60_000);
            const resumedAt = new Date(pausedAt.getTime() + pausedFor * 60_000);
            const pause = pausedTimeBetween(pausedAt, resumedAt, calendar);
            total = addPausedTime(total, pause);
            expected = clock.addMinutes(
              expected,
              policy.businessHours ? pause.businessMinutes : pause.calendarMinutes,
            );
            cursor = resumedAt.getTime();
          }
          expect(dueTimes(policy, calendar, new Date(created), total).resolutionDueAt).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('targetState and slaState', () => {
  const target = (overrides: Partial<SlaTargetSnapshot> = {}): SlaTargetSnapshot => ({
    dueAt: at('2026-11-23T12:00:00Z'),
    atRiskAt: at('2026-11-23T11:00:00Z'),
    metAt: null,
    breached: false,
    ...overrides,
  });

  it.each<[string, Partial<SlaTargetSnapshot>, string, string | null, string]>([
    ['before the at-risk instant', {}, '2026-11-23T10:59:59Z', null, 'ok'],
    ['from the at-risk instant', {}, '2026-11-23T11:00:00Z', null, 'at_risk'],
    ['exactly at the due instant', {}, '2026-11-23T12:00:00Z', null, 'at_risk'],
    ['after the due instant', {}, '2026-11-23T12:00:01Z', null, 'breached'],
    ['met on time', { metAt: at('2026-11-23T11:30:00Z') }, '2026-11-24T00:00:00Z', null, 'ok'],
    ['met late', { metAt: at('2026-11-23T12:30:00Z') }, '2026-11-24T00:00:00Z', null, 'breached'],
    ['marked breached by the sweep', { breached: true }, '2026-11-23T08:00:00Z', null, 'breached'],
    ['without a due time', { dueAt: null, atRiskAt: null }, '2027-01-01T00:00:00Z', null, 'ok'],
    ['paused before it was at risk', {}, '2026-11-25T00:00:00Z', '2026-11-23T10:00:00Z', 'ok'],
    ['paused while at risk', {}, '2026-11-25T00:00:00Z', '2026-11-23T11:30:00Z', 'at_risk'],
    ['paused after it breached', {}, '2026-11-25T00:00:00Z', '2026-11-23T13:00:00Z', 'breached'],
  ])('%s', (_label, overrides, now, pausedAt, state) => {
    expect(targetState(target(overrides), at(now), pausedAt ? at(pausedAt) : null)).toBe(state);
  });

  it('is the worse of the two targets, pausing only resolution', () => {
    const snapshot = (pausedAt: string | null): SlaSnapshot => ({
      firstResponse: target({
        dueAt: at('2026-11-23T10:00:00Z'),
        atRiskAt: at('2026-11-23T09:45:00Z'),
      }),
      resolution: target({
        dueAt: at('2026-11-23T16:00:00Z'),
        atRiskAt: at('2026-11-23T15:00:00Z'),
      }),
      resolutionPausedAt: pausedAt ? at(pausedAt) : null,
    });
    expect(slaState(snapshot(null), at('2026-11-23T09:00:00Z'))).toBe('ok');
    expect(slaState(snapshot(null), at('2026-11-23T09:50:00Z'))).toBe('at_risk');
    expect(slaState(snapshot(null), at('2026-11-23T10:30:00Z'))).toBe('breached');
    // A waiting_customer ticket still owes its first response.
    expect(slaState(snapshot('2026-11-23T09:00:00Z'), at('2026-11-23T10:30:00Z'))).toBe('breached');
    const answered: SlaSnapshot = {
      ...snapshot('2026-11-23T14:00:00Z'),
      firstResponse: target({ metAt: at('2026-11-23T09:30:00Z') }),
    };
    expect(slaState(answered, at('2026-11-30T00:00:00Z'))).toBe('ok');
    expect(slaState({ ...answered, resolutionPausedAt: null }, at('2026-11-23T15:30:00Z'))).toBe(
      'at_risk',
    );
  });
});

describe('validatePolicyTerms', () => {
  it.each<[string, SlaPolicyTerms, string[]]>([
    ['the defaults', DEFAULT_SLA_POLICIES.low, []],
    ['equal targets', { firstResponseMinutes: 60, resolutionMinutes: 60, businessHours: true }, []],
    [
      'first response after resolution',
      { firstResponseMinutes: 61, resolutionMinutes: 60, businessHours: false },
      ['first_response_minutes'],
    ],
    [
      'zero and fractions',
      { firstResponseMinutes: 0, resolutionMinutes: 1.5, businessHours: false },
      ['first_response_minutes', 'resolution_minutes'],
    ],
    [
      'more than a year',
      { firstResponseMinutes: 60, resolutionMinutes: 525_601, businessHours: false },
      ['resolution_minutes'],
    ],
  ])('%s', (_label, terms, fields) => {
    expect(validatePolicyTerms(terms).map((e) => e.field)).toEqual(fields);
  });
});
