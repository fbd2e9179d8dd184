import fc from 'fast-check';
import { progress, type SlaProgress, type TrackedSla, type TrackedTarget } from './sla-progress';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

/** Default urgent (60 / 240) created Saturday 21 Nov 2026 12:00 (docs/sla.md, example 5). */
function urgent(
  overrides: {
    firstResponse?: Partial<TrackedTarget>;
    resolution?: Partial<TrackedTarget>;
    resolutionPausedAt?: Date | null;
  } = {},
): TrackedSla {
  const { firstResponse, resolution, ...rest } = overrides;
  return {
    firstResponse: {
      dueAt: at('2026-11-21T13:00:00Z'),
      atRiskAt: at('2026-11-21T12:45:00Z'),
      metAt: null,
      breachedAt: null,
      atRiskNotifiedAt: null,
      ...firstResponse,
    },
    resolution: {
      dueAt: at('2026-11-21T16:00:00Z'),
      atRiskAt: at('2026-11-21T15:00:00Z'),
      metAt: null,
      breachedAt: null,
      atRiskNotifiedAt: null,
      ...resolution,
    },
    resolutionPausedAt: null,
    ...rest,
  };
}

describe('progress', () => {
  it('is ok before any at-risk instant, and looks again at the first one', () => {
    const result = progress(urgent(), at('2026-11-21T12:10:00Z'));
    expect(result).toMatchObject({ state: 'ok', breached: [], atRisk: [] });
    expect(result.nextCheckAt).toEqual(at('2026-11-21T12:45:00Z'));
  });

  it('finds first response at risk at 75 %, once, and then looks again just after its due time', () => {
    const now = at('2026-11-21T12:50:00Z');
    const first = progress(urgent(), now);
    expect(first).toMatchObject({ state: 'at_risk', atRisk: ['first_response'], breached: [] });
    expect(first.sla.firstResponse.atRiskNotifiedAt).toEqual(now);
    expect(first.nextCheckAt).toEqual(at('2026-11-21T13:00:00.001Z'));

    const again = progress(first.sla, at('2026-11-21T12:55:00Z'));
    expect(again).toMatchObject({ state: 'at_risk', atRisk: [], breached: [] });
  });

  it('is not breached at the due instant, and is one millisecond later (marked once)', () => {
    expect(progress(urgent(), at('2026-11-21T13:00:00Z')).breached).toEqual([]);
    const now = at('2026-11-21T13:00:00.001Z');
    const breached = progress(urgent(), now);
    expect(breached).toMatchObject({ state: 'breached', breached: ['first_response'] });
    // Found breached directly (the at-risk moment was never seen): no at-risk finding as well.
    expect(breached.atRisk).toEqual([]);
    expect(breached.sla.firstResponse.breachedAt).toEqual(now);
    // Only resolution is still running: its at-risk instant is the next moment.
    expect(breached.nextCheckAt).toEqual(at('2026-11-21T15:00:00Z'));
    expect(progress(breached.sla, at('2026-11-21T14:00:00Z')).breached).toEqual([]);
  });

  it('marks a target met late as breached at the moment it is met', () => {
    const now = at('2026-11-21T13:20:00Z');
    const result = progress(urgent({ firstResponse: { metAt: now } }), now);
    expect(result.breached).toEqual(['first_response']);
    expect(result.sla.firstResponse.breachedAt).toEqual(now);
  });

  it('a target met in time is ok and needs no more looks', () => {
    const result = progress(
      urgent({
        firstResponse: { metAt: at('2026-11-21T12:30:00Z') },
        resolution: { metAt: at('2026-11-21T14:00:00Z') },
      }),
      at('2026-11-21T20:00:00Z'),
    );
    expect(result).toMatchObject({ state: 'ok', breached: [], atRisk: [], nextCheckAt: null });
  });

  it('judges a paused resolution clock at its pause, and never schedules a look while paused', () => {
    const sla = urgent({
      firstResponse: { metAt: at('2026-11-21T12:30:00Z') },
      resolutionPausedAt: at('2026-11-21T14:00:00Z'),
    });
    const result = progress(sla, at('2026-11-22T09:00:00Z')); // long after the due time
    expect(result).toMatchObject({ state: 'ok', breached: [], nextCheckAt: null });
  });

  it('keeps a breach sticky whatever the instants say later', () => {
    const sla = urgent({
      firstResponse: {
        breachedAt: at('2026-11-21T13:05:00Z'),
        dueAt: at('2026-11-22T12:00:00Z'), // e.g. a lower priority afterwards
      },
    });
    const result = progress(sla, at('2026-11-21T13:10:00Z'));
    expect(result).toMatchObject({ state: 'breached', breached: [] });
  });

  it('reports at risk at most once per target, even when the instants move back out', () => {
    const first = progress(urgent(), at('2026-11-21T12:50:00Z'));
    // A lower priority moves the first-response instants out; later they come round again.
    const moved: TrackedSla = {
      ...first.sla,
      firstResponse: {
        ...first.sla.firstResponse,
        atRiskAt: at('2026-11-21T14:00:00Z'),
        dueAt: at('2026-11-21T15:00:00Z'),
      },
    };
    const before = progress(moved, at('2026-11-21T13:00:00Z'));
    expect(before).toMatchObject({ state: 'ok', nextCheckAt: at('2026-11-21T14:00:00Z') });
    expect(progress(before.sla, at('2026-11-21T14:10:00Z'))).toMatchObject({
      state: 'at_risk',
      atRisk: [],
    });
  });

  it('has no instants, no state and no looks for a ticket without due times', () => {
    const none: TrackedTarget = {
      dueAt: null,
      atRiskAt: null,
      metAt: null,
      breachedAt: null,
      atRiskNotifiedAt: null,
    };
    const result = progress(
      { firstResponse: none, resolution: none, resolutionPausedAt: null },
      at('2030-01-01T00:00:00Z'),
    );
    expect(result).toMatchObject({ state: 'ok', nextCheckAt: null, breached: [], atRisk: [] });
  });

  // The sweep's contract: a ticket looked at only at its nextCheckAt has, at every moment, the
  // state a ticket looked at every minute has, and yields the same findings, each once.
  it('looking only at nextCheckAt keeps the state as true as looking every minute (property)', () => {
    const created = at('2026-11-21T12:00:00Z').getTime();
    const running = (total: number): TrackedTarget => ({
      dueAt: new Date(created + minutes(total)),
      atRiskAt: new Date(created + minutes(total * 0.75)),
      metAt: null,
      breachedAt: null,
      atRiskNotifiedAt: null,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
        fc.integer({ min: 0, max: 1500 }),
        (firstResponseMinutes, extra, repliedAfter, horizon) => {
          const start: TrackedSla = {
            firstResponse: {
              ...running(firstResponseMinutes),
              metAt: repliedAfter === null ? null : new Date(created + minutes(repliedAfter)),
            },
            resolution: running(firstResponseMinutes + extra),
            resolutionPausedAt: null,
          };
          const end = created + minutes(horizon);
          /** Looks at the ticket when `nextLook` says; the stored state after each look. */
          const simulate = (nextLook: (result: SlaProgress, now: number) => number | null) => {
            let sla = start;
            const findings: string[] = [];
            const stored: Array<{ at: number; state: string }> = [];
            for (let now: number | null = created; now !== null && now <= end;) {
              const result = progress(sla, new Date(now));
              sla = result.sla;
              findings.push(...result.breached.map((t) => `breached:${t}`));
              findings.push(...result.atRisk.map((t) => `at_risk:${t}`));
              stored.push({ at: now, state: result.state });
              now = nextLook(result, now);
            }
            return { findings: findings.sort(), stored };
          };
          const sparse = simulate((result) => result.nextCheckAt?.getTime() ?? null);
          const dense = simulate((_result, now) => now + minutes(1));
          expect(sparse.findings).toEqual(dense.findings);
          expect(new Set(sparse.findings).size).toBe(sparse.findings.length);
          // The state stored by the last look at or before each minute.
          let last = 0;
          const wrong = dense.stored.filter(({ at: moment, state }) => {
            while (last + 1 < sparse.stored.length && sparse.stored[last + 1].at <= moment) last++;
            return sparse.stored[last].state !== state;
          });
          expect(wrong).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
