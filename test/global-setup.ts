// Runs once per `npm test`: a fresh database and Redis key prefix for this run only.
// (No path aliases here: Jest loads this file outside its module mapper.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const database = `helpdesk_test_${runId}`;
  const base = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const scratch = mkdtempSync(join(tmpdir(), 'helpdesk-test-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: `${base}/${database}`,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `helpdesk_test_${runId}`,
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    AUDIT_HMAC_KEY: 'test-audit-hmac-key-that-is-long-enough-0123456789',
    MAIL_DIR: join(scratch, 'mail'),
    STORAGE_DIR: join(scratch, 'attachments'),
    PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
    // Tests sign in, request links and open tickets for one address many times; the
    // suites that test these limits turn them on (test/sessions-*.e2e-spec.ts).
    LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '0',
    MAGIC_LINK_RATE_LIMIT_PER_ADDRESS_PER_HOUR: '0',
    INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR: '0',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    PUBLIC_URL: 'http://helpdesk.test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HELPDESK_TEST_SCRATCH: scratch,
  });
}
