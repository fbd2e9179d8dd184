import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from 'src/app.factory';
import { loadConfig, type AppConfig } from 'src/config/app-config';
import { startContractProxy } from './contract-proxy';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: TestAgent;
  close(): Promise<void>;
}

/**
 * Boots the whole application in-process exactly as production does (Fastify, global guards,
 * filters, migrations) against this run's database and Redis prefix (see test/global-setup.ts).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...env });
  if (!/_test_/.test(new URL(config.databaseUrl).pathname)) {
    throw new Error(`refusing to run tests against ${config.databaseUrl}: not a *_test_* database`);
  }
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // `npm run test:contract`: the same requests, each exchange also checked by Prism.
  const prismUrl = process.env.CONTRACT_PRISM_URL;
  if (prismUrl) {
    const proxy = await startContractProxy(app, prismUrl);
    return {
      app,
      config,
      http: request(proxy.url),
      close: async () => {
        await proxy.close();
        await app.close();
      },
    };
  }
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    close: () => app.close(),
  };
}
