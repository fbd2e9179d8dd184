// Drives one scenario through the API with autocannon.
import autocannon from 'autocannon';
import { LatencyRecorder, type Measurement } from './measurement';
import type { Scenario } from './scenarios';

export interface LoadSettings {
  port: number;
  connections: number;
  seconds: number;
}

/** Iteration numbers of one scenario, continued from its warm-up into its measured run. */
export class IterationCounter {
  private value = 0;
  next(): number {
    return this.value++;
  }
}

export function runHttpLoad(
  scenario: Scenario,
  settings: LoadSettings,
  counter: IterationCounter,
): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${settings.port}`,
        connections: settings.connections,
        duration: settings.seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const next = scenario.request(scenario.slots(counter.next()));
              return { ...request, ...next };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        recorder.errors = result.errors;
        const seconds = result.duration || (Date.now() - started) / 1000;
        resolve(recorder.summary(seconds));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      recorder.record(responseTimeMs);
      if (statusCode < 200 || statusCode > 299) {
        recorder.non2xx++;
        recorder.fail(String(statusCode));
      }
    });
  });
}
