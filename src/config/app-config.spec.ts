import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/helpdesk');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.publicRateLimitPerMinute).toBe(60);
    expect(config.maxAttachmentBytes).toBe(10_485_760);
    expect(config.slaSweepIntervalMs).toBe(60_000);
    expect(config.autoCloseDays).toBe(7);
    expect(config.mailFrom).toBe('Helpdesk <support@localhost>');
    expect(config.appRole).toBe('all');
    expect(config.jwtSecretGenerated).toBe(true);
    expect(config.webhooksAllowPrivate).toBe(false);
    expect(config.mailMaxAttempts).toBe(5);
    expect(config.mailRetryBaseMs).toBe(60_000);
    expect(config.mailSweepIntervalMs).toBe(30_000);
    expect(config.webhookTimeoutMs).toBe(10_000);
    expect(config.webhookRetryWindowMs).toBe(86_400_000);
    expect(config.webhookSecretKeyGenerated).toBe(true);
  });

  it('names every bad variable at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', APP_ROLE: 'both', DATABASE_URL: 'mysql://x' }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringContaining('PORT'),
          expect.stringContaining('DATABASE_URL'),
          expect.stringContaining('APP_ROLE'),
        ]) as string[],
      }) as ConfigError,
    );
  });

  it('requires the secrets in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/JWT_SECRET is required/);
      expect((error as ConfigError).message).toMatch(/AUDIT_HMAC_KEY is required/);
      expect((error as ConfigError).message).toMatch(/WEBHOOK_SECRET_KEY is required/);
    }
  });

  it('refuses a short bootstrap password and a lone ADMIN_EMAIL', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short' })).toThrow(
      /ADMIN_PASSWORD/,
    );
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' })).toThrow(/set together/);
  });
});

describe('AUDIT_HMAC_PREVIOUS_KEYS', () => {
  const current = 'c'.repeat(32);

  it('is an empty list by default', () => {
    expect(loadConfig({ AUDIT_HMAC_KEY: current }).auditHmacPreviousKeys).toEqual([]);
  });

  it('reads a comma-separated list, ignoring blanks and spaces', () => {
    const config = loadConfig({
      AUDIT_HMAC_KEY: current,
      AUDIT_HMAC_PREVIOUS_KEYS: ` ${'a'.repeat(32)} ,, ${'b'.repeat(40)}`,
    });
    expect(config.auditHmacPreviousKeys).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
  });

  it('refuses a short previous key, naming its position but not its value', () => {
    try {
      loadConfig({ AUDIT_HMAC_PREVIOUS_KEYS: `${'a'.repeat(32)},short-old-key` });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/AUDIT_HMAC_PREVIOUS_KEYS entry 2/);
      expect((error as ConfigError).message).not.toContain('short-old-key');
    }
  });
});

describe('loadConfig refuses bad values with one line per variable', () => {
  it('refuses an unknown LOG_LEVEL (pino used to crash with a stack trace)', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError([
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      ]),
    );
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('refuses an unknown NODE_ENV, a MAIL_FROM without an address and an odd REDIS_PREFIX', () => {
    for (const [name, value] of [
      ['NODE_ENV', 'prod'],
      ['MAIL_FROM', 'Helpdesk'],
      ['REDIS_PREFIX', 'a b'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(
        new RegExp(`^Invalid configuration: ${name} `),
      );
    }
    expect(loadConfig({ MAIL_FROM: 'support@example.com' }).mailFrom).toBe('support@example.com');
  });
});

describe('configuration rules of issue 21', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'j'.repeat(32),
    AUDIT_HMAC_KEY: 'a'.repeat(32),
    WEBHOOK_SECRET_KEY: 'w'.repeat(32),
  };

  it('requires PUBLIC_URL in production', () => {
    expect(() => loadConfig(production)).toThrow(/PUBLIC_URL is required/);
    expect(() =>
      loadConfig({ ...production, PUBLIC_URL: 'https://help.example.com' }),
    ).not.toThrow();
  });

  it('refuses `null` and non-origins in CORS_ORIGINS, and allows no origin by default in production', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'null' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(ConfigError);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example/' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(
      loadConfig({ ...production, PUBLIC_URL: 'https://help.example.com' }).corsOrigins,
    ).toEqual([]);
    expect(loadConfig({}).corsOrigins).toBe('any');
  });

  it('allows webhook ports 80 and 443 unless configured', () => {
    expect(loadConfig({}).webhooksAllowedPorts).toEqual([80, 443]);
    expect(loadConfig({ WEBHOOKS_ALLOWED_PORTS: '443,8443' }).webhooksAllowedPorts).toEqual([
      443, 8443,
    ]);
    expect(loadConfig({ WEBHOOKS_ALLOWED_PORTS: '*' }).webhooksAllowedPorts).toBe('any');
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooksAllowedPorts).toBe('any');
    expect(() => loadConfig({ WEBHOOKS_ALLOWED_PORTS: '80,http' })).toThrow(ConfigError);
  });
});
