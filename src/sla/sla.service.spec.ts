import { Logger } from '@nestjs/common';
import type { DomainEventConsumer, DomainEvents } from '@helpdesk/common';
import { DEFAULT_BUSINESS_HOURS } from './business-calendar';
import { BusinessHours } from './business-hours.entity';
import { SlaPolicy } from './sla-policy.entity';
import type { SlaRepository } from './sla.repository';
import { SlaPolicyUpdated } from './sla.events';
import { SLA_SETTINGS_TTL_MS, SlaService } from './sla.service';

function policy(priority: SlaPolicy['priority'], firstResponseMinutes: number): SlaPolicy {
  return Object.assign(new SlaPolicy(), {
    priority,
    firstResponseMinutes,
    resolutionMinutes: 10_000,
    businessHours: false,
  });
}

/** A repository whose loads we can count, delay and change under the service. */
function fakeRepository() {
  const state = {
    loads: 0,
    urgentMinutes: 60,
    gate: Promise.resolve(),
  };
  const repository = {
    loadSettings: async () => {
      state.loads += 1;
      const minutes = state.urgentMinutes;
      await state.gate;
      const hours = Object.assign(new BusinessHours(), DEFAULT_BUSINESS_HOURS);
      return { policies: [policy('urgent', minutes)], businessHours: hours };
    },
  };
  return { state, repository: repository as unknown as SlaRepository };
}

function fakeEvents() {
  const consumers: DomainEventConsumer[] = [];
  const events = { register: (consumer: DomainEventConsumer) => consumers.push(consumer) };
  return { consumers, events: events as unknown as DomainEvents };
}

const created = new Date('2026-11-21T12:00:00Z');
const dueMinutes = async (sla: SlaService) =>
  ((await sla.dueTimesFor('urgent', created)).firstResponseDueAt.getTime() - created.getTime()) /
  60_000;

describe('SlaService settings cache', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the settings once for concurrent callers and keeps them', async () => {
    const { state, repository } = fakeRepository();
    const sla = new SlaService(repository, fakeEvents().events);
    const results = await Promise.all([1, 2, 3].map(() => dueMinutes(sla)));
    expect(results).toEqual([60, 60, 60]);
    await dueMinutes(sla);
    expect(state.loads).toBe(1);
  });

  it('falls back to the contract defaults for a priority without a row', async () => {
    const sla = new SlaService(fakeRepository().repository, fakeEvents().events);
    expect(await sla.policyFor('low')).toEqual({
      firstResponseMinutes: 1440,
      resolutionMinutes: 5760,
      businessHours: false,
    });
  });

  it('reads again once a policy change has committed', async () => {
    const { state, repository } = fakeRepository();
    const { consumers, events } = fakeEvents();
    const sla = new SlaService(repository, events);
    sla.onModuleInit();
    expect(await dueMinutes(sla)).toBe(60);
    state.urgentMinutes = 30;
    consumers[0].afterCommit?.([new SlaPolicyUpdated('urgent', {})]);
    expect(await dueMinutes(sla)).toBe(30);
  });

  it('does not keep values from a read that raced a committed change', async () => {
    const { state, repository } = fakeRepository();
    const { consumers, events } = fakeEvents();
    const sla = new SlaService(repository, events);
    sla.onModuleInit();
    let release = () => undefined as void;
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const stale = dueMinutes(sla); // reads 60, then waits
    state.urgentMinutes = 30;
    consumers[0].afterCommit?.([new SlaPolicyUpdated('urgent', {})]);
    release();
    expect(await stale).toBe(60);
    state.gate = Promise.resolve();
    expect(await dueMinutes(sla)).toBe(30);
  });

  it('refreshes in the background every TTL, so other instances’ changes show up', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T00:00:00Z') });
    const { state, repository } = fakeRepository();
    const sla = new SlaService(repository, fakeEvents().events);
    await sla.onApplicationBootstrap();
    expect(state.loads).toBe(1);
    state.urgentMinutes = 45;
    // Requests never load on their own (a load inside a request's transaction stalled the pool).
    jest.setSystemTime(Date.now() + SLA_SETTINGS_TTL_MS * 3);
    expect(await dueMinutes(sla)).toBe(60);
    expect(state.loads).toBe(1);
    await jest.advanceTimersByTimeAsync(SLA_SETTINGS_TTL_MS);
    expect(await dueMinutes(sla)).toBe(45);
    expect(state.loads).toBe(2);
    sla.onModuleDestroy();
  });
});

describe('SlaService with a stored calendar this runtime cannot read', () => {
  afterEach(() => jest.restoreAllMocks());

  it('still computes due times, on the default calendar', async () => {
    const repository = {
      loadSettings: async () => ({
        policies: [Object.assign(policy('urgent', 60), { businessHours: true })],
        businessHours: Object.assign(new BusinessHours(), {
          ...DEFAULT_BUSINESS_HOURS,
          timezone: 'Gone/Away',
        }),
      }),
    } as unknown as SlaRepository;
    const sla = new SlaService(repository, fakeEvents().events);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const due = await sla.dueTimesFor('urgent', new Date('2026-11-21T12:00:00Z')); // Saturday
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });
});
