/** A bounded HTTP call against a child-process app: never hangs past `timeoutMs`. */
export interface Answer {
  status: number; // 0 = no answer (connection refused, reset, timeout)
  contentType: string;
  body: unknown;
  ms: number;
  error?: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body,
      ms: performance.now() - started,
    };
  } catch (error) {
    return {
      status: 0,
      contentType: '',
      body: null,
      ms: performance.now() - started,
      error: String(error),
    };
  }
}

/** Runs `clients` loops of `step` until `durationMs` has passed; returns every answer. */
export async function runClients(
  clients: number,
  durationMs: number,
  step: (client: number, iteration: number) => Promise<Answer>,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  const until = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; Date.now() < until; i += 1) answers.push(await step(client, i));
    }),
  );
  return answers;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Status → count, for the report. */
export function histogram(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}
