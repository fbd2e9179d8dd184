// Small helpers shared by the bench modules.

export function log(message: string): void {
  console.log(`[bench] ${message}`);
}

export function elapsedSince(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The value at quantile `q` (0–1) of ascending `sorted`; 0 when empty. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
