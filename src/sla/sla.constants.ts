/** The Bull queue of the SLA sweep and its one repeatable job. */
export const SLA_QUEUE = 'sla';
export const SLA_SWEEP_JOB = 'sweep';
/**
 * The repeatable job's id. With the job name and the interval it makes Bull's repeat key, and
 * each tick's job id is derived from that key and the tick's time: every worker instance that
 * schedules the sweep schedules the same jobs, so each tick runs once, on one worker.
 */
export const SLA_SWEEP_JOB_ID = 'sla-sweep';
/** The PostgreSQL advisory lock (hashtext of this name) that keeps sweeps one at a time. */
export const SLA_SWEEP_LOCK = 'helpdesk.sla_sweep';
/** Candidate ids the sweep reads per query; each ticket is then settled in its own transaction. */
export const SLA_SWEEP_BATCH_SIZE = 500;
/**
 * Tickets the sweep settles at once, each in its own transaction (and pool connection): a burst
 * of due tickets after an outage is worked off several times faster, and the pool keeps room.
 */
export const SLA_SWEEP_CONCURRENCY = 8;
