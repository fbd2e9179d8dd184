/**
 * Logs a warning at most once per interval (30 s by default): for the errors a relay, sweep or
 * sequencer meets on every round while a dependency (Redis, PostgreSQL) is away, which would
 * otherwise fill the log with one line per attempt.
 */
export class ThrottledWarning {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: { warn(message: string): unknown },
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string, error: unknown): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) return;
    this.lastLoggedAt = now;
    this.logger.warn(`${message}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
