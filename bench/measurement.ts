// What every measured run reports, whether through the API or straight to PostgreSQL.
import { percentile, round } from './util';

export interface Measurement {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and failed statements. */
  errors: number;
  /** Answers outside 2xx (API only). */
  non2xx: number;
  /** Status codes outside 2xx and how often each came (API), or the first error messages (raw). */
  failures: Record<string, number>;
}

/** Collects latencies of completed requests and summarises them. */
export class LatencyRecorder {
  private readonly latencies: number[] = [];
  non2xx = 0;
  errors = 0;
  readonly failures: Record<string, number> = {};

  record(latencyMs: number): void {
    this.latencies.push(latencyMs);
  }

  fail(reason: string): void {
    // Bounded: only the first few distinct reasons are kept.
    if (reason in this.failures || Object.keys(this.failures).length < 5) {
      this.failures[reason] = (this.failures[reason] ?? 0) + 1;
    }
  }

  summary(seconds: number): Measurement {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      requests: sorted.length,
      requestsPerSecond: round(sorted.length / seconds),
      p50Ms: round(percentile(sorted, 0.5)),
      p95Ms: round(percentile(sorted, 0.95)),
      p99Ms: round(percentile(sorted, 0.99)),
      errors: this.errors,
      non2xx: this.non2xx,
      failures: this.failures,
    };
  }
}
