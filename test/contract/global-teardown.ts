// Stops Prism and its router, then the usual clean-up (../global-teardown).
import baseTeardown from '../global-teardown';

export default async function globalTeardown(): Promise<void> {
  const running = globalThis.contractPrism;
  if (running) {
    running.prism.kill('SIGTERM');
    await new Promise((resolve) => running.router.close(resolve));
  }
  await baseTeardown();
}
