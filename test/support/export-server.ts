// The app as a child process for the export memory test (test/ticket-export-memory.e2e-spec.ts):
// boots with the test environment, reports its port, and samples its own memory.
import { getHeapStatistics } from 'node:v8';
import { createApp } from 'src/app.factory';
import { loadConfig } from 'src/config/app-config';

async function main(): Promise<void> {
  const app = await createApp(loadConfig(process.env));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  let peakHeapBytes = 0;
  const sample = () =>
    (peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size));
  const sampler = setInterval(sample, 10);
  process.on('message', (message: string) => {
    if (message === 'reset') {
      global.gc?.();
      peakHeapBytes = 0;
      sample();
      process.send!({ type: 'reset', heapBytes: peakHeapBytes });
    } else if (message === 'report') {
      sample();
      process.send!({
        type: 'report',
        peakHeapBytes,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapLimitBytes: getHeapStatistics().heap_size_limit,
      });
    } else if (message === 'stop') {
      clearInterval(sampler);
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', port: address.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
