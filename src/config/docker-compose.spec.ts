import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from './app-config';

const root = join(__dirname, '../..');

interface ComposeService {
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR-default}` with `shell` as the environment. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?:(:?)-([^}]*))?\}|\$(\w+)/g,
    (_all, name: string, colon: string, fallback: string | undefined, bare: string) => {
      const set = shell[name ?? bare];
      if (fallback === undefined) return set ?? '';
      if (colon) return set ? set : fallback; // ${VAR:-default}: unset or empty
      return set ?? fallback; // ${VAR-default}: unset only
    },
  );
}

/** ENV lines of the Dockerfile's last stage: what the image runs with before compose adds more. */
function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  return Object.fromEntries(
    [...lastStage.matchAll(/^ENV\s+(\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]),
  );
}

function serviceEnvironment(service: ComposeService, shell: Record<string, string>) {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => line.split(/=(.*)/s, 2) as [string, string])
    : Object.entries(raw).map(([name, value]) => [name, String(value ?? '')] as [string, string]);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(value, shell)]));
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as { services: Record<string, ComposeService> };
  const appServices = Object.entries(compose.services).filter(([, service]) => service.build);

  it('builds the app for the api and the worker', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
  });

  it.each(['api', 'worker'])(
    '%s passes the production config check with nothing set in the shell',
    (name) => {
      const env = { ...imageEnvironment(), ...serviceEnvironment(compose.services[name], {}) };
      expect(env.NODE_ENV).toBe('production');
      const config = loadConfig(env);
      expect(config.isProduction).toBe(true);
      expect(config.appRole).toBe(name);
    },
  );

  it('gives the api and the worker the same secrets, and takes them from the shell', () => {
    const shell = {
      JWT_SECRET: 'j'.repeat(40),
      AUDIT_HMAC_KEY: 'a'.repeat(40),
      WEBHOOK_SECRET_KEY: 'w'.repeat(40),
    };
    const [api, worker] = ['api', 'worker'].map((name) =>
      loadConfig({ ...imageEnvironment(), ...serviceEnvironment(compose.services[name], shell) }),
    );
    for (const config of [api, worker]) {
      expect(config).toMatchObject({
        jwtSecret: shell.JWT_SECRET,
        auditHmacKey: shell.AUDIT_HMAC_KEY,
        webhookSecretKey: shell.WEBHOOK_SECRET_KEY,
      });
    }
    expect(worker.databaseUrl).toBe(api.databaseUrl);
    expect(worker.redisUrl).toBe(api.redisUrl);
  });
});
