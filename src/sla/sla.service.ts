import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  DomainEvents,
  ValidationFailedError,
  type DomainEvent,
  type FieldChanges,
  type FieldError,
} from '@helpdesk/common';
import {
  BusinessCalendar,
  DEFAULT_BUSINESS_HOURS,
  normalizeBusinessHours,
  validateBusinessHours,
  type BusinessHoursDefinition,
} from './business-calendar';
import { BusinessHours } from './business-hours.entity';
import { SlaPolicy } from './sla-policy.entity';
import { SlaRepository } from './sla.repository';
import { BusinessHoursUpdated, SlaPolicyUpdated } from './sla.events';
import {
  DEFAULT_SLA_POLICIES,
  dueTimes,
  NO_PAUSE,
  pausedTimeBetween,
  SLA_PRIORITIES,
  validatePolicyTerms,
  type PausedTime,
  type SlaDueTimes,
  type SlaPolicyTerms,
  type SlaPriority,
} from './sla-rules';

/** The policies and calendar every due-time computation needs, compiled once. */
interface SlaSettings {
  policies: ReadonlyMap<SlaPriority, SlaPolicyTerms>;
  calendar: BusinessCalendar;
}

/**
 * How long another instance may keep serving settings an admin has just changed. This instance
 * drops its copy as soon as the change commits; others notice within this time.
 */
export const SLA_SETTINGS_TTL_MS = 30_000;

function invalid(errors: FieldError[]): ValidationFailedError {
  return new ValidationFailedError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
  });
}

/**
 * SLA policies, the business-hours calendar, and the due-time arithmetic the tickets module and
 * the sweep call. The arithmetic itself lives in pure functions (sla-rules, business-clock); this
 * service feeds them the current settings.
 */
@Injectable()
export class SlaService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaService.name);
  private cached: { settings: SlaSettings } | null = null;
  private loading: Promise<SlaSettings> | null = null;
  private generation = 0;
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: SlaRepository,
    private readonly domainEvents: DomainEvents,
  ) {}

  onModuleInit(): void {
    // Drop the cache once a change has committed (not before: a concurrent reader could reload
    // the old values and keep them). A rolled-back change leaves the cache alone.
    this.domainEvents.register({
      name: 'sla-settings-cache',
      consume: async () => undefined,
      afterCommit: (events: readonly DomainEvent[]) => {
        if (
          events.some((e) => e instanceof SlaPolicyUpdated || e instanceof BusinessHoursUpdated)
        ) {
          this.invalidateCache();
        }
      },
    });
  }

  /**
   * Loads the settings before the app serves, then refreshes them in the background. A request
   * never loads them itself: inside its transaction (a pooled connection held, row locks taken) a
   * load needs a second connection, and under load every request waited on that one load while
   * holding the connections it needed — a pool-wide stall each time the cache expired.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.settings();
    this.refreshTimer = setInterval(() => this.refreshInBackground(), SLA_SETTINGS_TTL_MS);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  private refreshInBackground(): void {
    const generation = this.generation;
    this.loadSettings()
      .then((settings) => {
        if (generation === this.generation) {
          this.cached = { settings };
        }
      })
      .catch((error: unknown) => this.logger.warn(`SLA settings refresh failed: ${String(error)}`));
  }

  // ---- For the tickets module and the sweep -------------------------------------------------

  /**
   * First-response and resolution due times and their 75 % (at-risk) instants for a ticket of
   * `priority` created at `createdAt`, whose resolution clock has been paused for `paused` so far.
   * Call it on create (no pause), on resume (total paused so far) and on a priority change.
   */
  async dueTimesFor(
    priority: SlaPriority,
    createdAt: Date,
    paused: PausedTime = NO_PAUSE,
  ): Promise<SlaDueTimes> {
    const settings = await this.settings();
    return dueTimes(this.termsOf(settings, priority), settings.calendar, createdAt, paused);
  }

  /**
   * The time one pause lasted, in calendar and in business minutes (add it to the ticket's
   * running total with `addPausedTime`). Both are kept because a later priority change may move
   * the ticket to a policy that counts the other way.
   */
  async pausedTimeBetween(pausedAt: Date, resumedAt: Date): Promise<PausedTime> {
    const { calendar } = await this.settings();
    return pausedTimeBetween(pausedAt, resumedAt, calendar);
  }

  /** The current terms of one priority (cached). */
  async policyFor(priority: SlaPriority): Promise<SlaPolicyTerms> {
    return this.termsOf(await this.settings(), priority);
  }

  // ---- Admin: policies and business hours ---------------------------------------------------

  /** All four policies, most urgent first. */
  async listPolicies(): Promise<SlaPolicy[]> {
    const rows = await this.repository.findAllPolicies();
    return SLA_PRIORITIES.map(
      (priority) => rows.find((row) => row.priority === priority) ?? defaultPolicy(priority),
    );
  }

  async updatePolicy(priority: SlaPriority, terms: SlaPolicyTerms): Promise<SlaPolicy> {
    const errors = validatePolicyTerms(terms);
    if (errors.length > 0) throw invalid(errors);
    const policy = (await this.repository.findPolicyForUpdate(priority)) ?? defaultPolicy(priority);
    const changes: FieldChanges = {};
    if (policy.firstResponseMinutes !== terms.firstResponseMinutes) {
      changes.first_response_minutes = [policy.firstResponseMinutes, terms.firstResponseMinutes];
    }
    if (policy.resolutionMinutes !== terms.resolutionMinutes) {
      changes.resolution_minutes = [policy.resolutionMinutes, terms.resolutionMinutes];
    }
    if (policy.businessHours !== terms.businessHours) {
      changes.business_hours = [policy.businessHours, terms.businessHours];
    }
    if (Object.keys(changes).length === 0 && policy.updatedAt) return policy;
    policy.firstResponseMinutes = terms.firstResponseMinutes;
    policy.resolutionMinutes = terms.resolutionMinutes;
    policy.businessHours = terms.businessHours;
    const saved = await this.repository.savePolicy(policy);
    this.domainEvents.record(new SlaPolicyUpdated(priority, changes));
    return saved;
  }

  async getBusinessHours(): Promise<BusinessHours> {
    return (await this.repository.findBusinessHours()) ?? defaultBusinessHours();
  }

  async updateBusinessHours(definition: BusinessHoursDefinition): Promise<BusinessHours> {
    const errors = validateBusinessHours(definition);
    if (errors.length > 0) throw invalid(errors);
    const next = normalizeBusinessHours(definition);
    const row = (await this.repository.findBusinessHoursForUpdate()) ?? defaultBusinessHours();
    const changes: FieldChanges = {};
    if (row.timezone !== next.timezone) changes.timezone = [row.timezone, next.timezone];
    if (JSON.stringify(row.weekly) !== JSON.stringify(next.weekly)) {
      changes.weekly = [row.weekly, next.weekly];
    }
    if (JSON.stringify(row.holidays) !== JSON.stringify(next.holidays)) {
      changes.holidays = [row.holidays, next.holidays];
    }
    if (Object.keys(changes).length === 0 && row.updatedAt) return row;
    row.timezone = next.timezone;
    row.weekly = next.weekly;
    row.holidays = next.holidays;
    const saved = await this.repository.saveBusinessHours(row);
    this.domainEvents.record(new BusinessHoursUpdated(changes));
    return saved;
  }

  // ---- Cache ----------------------------------------------------------------------------------

  /** Forgets the cached settings; the next computation reads them again. */
  invalidateCache(): void {
    this.generation += 1;
    this.cached = null;
    this.loading = null;
    // Reload now, from outside any request, so the next request finds the new settings ready.
    void this.settings().catch(() => undefined);
  }

  private async settings(): Promise<SlaSettings> {
    // Served as cached; the background refresh keeps it within SLA_SETTINGS_TTL_MS of the table.
    if (this.cached) return this.cached.settings;
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.loadSettings().then((settings) => {
        // A change committed while this load ran: serve it to this caller, keep nothing.
        if (generation === this.generation) {
          this.cached = { settings };
        }
        return settings;
      });
      this.loading = loading;
      void loading
        .finally(() => {
          if (this.loading === loading) this.loading = null;
        })
        .catch(() => undefined);
    }
    return this.loading;
  }

  private async loadSettings(): Promise<SlaSettings> {
    const { policies, businessHours } = await this.repository.loadSettings();
    const terms = new Map<SlaPriority, SlaPolicyTerms>();
    for (const policy of policies) {
      terms.set(policy.priority, {
        firstResponseMinutes: policy.firstResponseMinutes,
        resolutionMinutes: policy.resolutionMinutes,
        businessHours: policy.businessHours,
      });
    }
    return { policies: terms, calendar: this.compileCalendar(businessHours) };
  }

  /**
   * The stored calendar was valid when written; should it stop being valid (a runtime whose
   * tzdata lacks the zone), tickets must still get due times: use the default and say so loudly.
   */
  private compileCalendar(row: BusinessHours | null): BusinessCalendar {
    try {
      return BusinessCalendar.from(row ?? DEFAULT_BUSINESS_HOURS);
    } catch (error) {
      this.logger.error({ err: error }, 'stored business hours are invalid; using the default');
      return BusinessCalendar.from(DEFAULT_BUSINESS_HOURS);
    }
  }

  private termsOf(settings: SlaSettings, priority: SlaPriority): SlaPolicyTerms {
    return settings.policies.get(priority) ?? DEFAULT_SLA_POLICIES[priority];
  }
}

/** A policy row with the contract's defaults, for a priority whose row is missing. */
function defaultPolicy(priority: SlaPriority): SlaPolicy {
  const policy = new SlaPolicy();
  policy.priority = priority;
  Object.assign(policy, DEFAULT_SLA_POLICIES[priority]);
  return policy;
}

function defaultBusinessHours(): BusinessHours {
  const row = new BusinessHours();
  const defaults = normalizeBusinessHours(DEFAULT_BUSINESS_HOURS);
  row.timezone = defaults.timezone;
  row.weekly = defaults.weekly;
  row.holidays = defaults.holidays;
  return row;
}
