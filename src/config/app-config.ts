import { randomBytes } from 'node:crypto';

export type AppRole = 'api' | 'worker' | 'all';

/** The validated, typed configuration. process.env is read nowhere else (API.md section 13). */
export class AppConfig {
  readonly nodeEnv: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** Log every SQL statement (for capturing the exact queries of a scenario; never in production). */
  readonly databaseLogQueries: boolean;
  readonly redisUrl: string;
  /** Prefix for every Redis key and Bull queue, so several deployments (or test runs) can share a Redis. */
  readonly redisPrefix: string;
  readonly jwtSecret: string;
  readonly jwtSecretGenerated: boolean;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly mailDir: string;
  readonly templatesDir?: string;
  readonly mailMaxAttempts: number;
  /** First retry delay of a failed delivery; each later one doubles (Bull's exponential backoff). */
  readonly mailRetryBaseMs: number;
  /** How often workers sweep the outbox for notifications that never reached the queue. */
  readonly mailSweepIntervalMs: number;
  readonly storageDir: string;
  readonly allowedAttachmentTypes: string[];
  readonly maxAttachmentBytes: number;
  readonly publicRateLimitPerMinute: number;
  readonly publicUrl: string;
  readonly slaSweepIntervalMs: number;
  readonly autoCloseDays: number;
  readonly auditHmacKey: string;
  readonly auditHmacKeyGenerated: boolean;
  /** Keys the audit log was signed with before the last rotations; they only verify, never sign. */
  readonly auditHmacPreviousKeys: string[];
  readonly webhooksAllowPrivate: boolean;
  /** Open SSE event streams allowed per caller (user or API key) and per process (docs/webhooks.md). */
  readonly eventStreamsPerCaller: number;
  readonly eventStreamsPerProcess: number;
  /** How often an open event stream re-checks its caller's credential. */
  readonly eventStreamRecheckMs: number;
  /** Encrypts webhook signing secrets at rest (AES-256-GCM, key derived with HKDF; docs/webhooks.md). */
  readonly webhookSecretKey: string;
  readonly webhookSecretKeyGenerated: boolean;
  /** One delivery attempt, connect to last byte. */
  readonly webhookTimeoutMs: number;
  /** First retry delay; each later one doubles. */
  readonly webhookRetryBaseMs: number;
  /** How long a delivery is retried before it is marked failed (24 h). */
  readonly webhookRetryWindowMs: number;
  readonly appRole: AppRole;
  readonly corsOrigins: string[] | true;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;

  constructor(values: Omit<AppConfig, 'runsHttp' | 'runsWorkers' | 'isProduction'>) {
    Object.assign(this, values);
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get runsHttp(): boolean {
    return this.appRole !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.appRole !== 'api';
  }
}

export const DEFAULT_ALLOWED_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (
    name: string,
    fallback: string | undefined,
    protocols: string[],
  ): string | undefined => {
    const raw = read(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';

  const jwtSecret = read('JWT_SECRET');
  if (production && !jwtSecret) problems.push('JWT_SECRET is required when NODE_ENV=production');
  if (jwtSecret && jwtSecret.length < 32)
    problems.push('JWT_SECRET must be at least 32 characters');
  const auditHmacKey = read('AUDIT_HMAC_KEY');
  if (production && !auditHmacKey)
    problems.push('AUDIT_HMAC_KEY is required when NODE_ENV=production');
  if (auditHmacKey && auditHmacKey.length < 32)
    problems.push('AUDIT_HMAC_KEY must be at least 32 characters');
  const auditHmacPreviousKeys = (read('AUDIT_HMAC_PREVIOUS_KEYS') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  auditHmacPreviousKeys.forEach((key, index) => {
    // Name the position, never the key: this message ends up in logs.
    if (key.length < 32)
      problems.push(`AUDIT_HMAC_PREVIOUS_KEYS entry ${index + 1} must be at least 32 characters`);
  });
  const webhookSecretKey = read('WEBHOOK_SECRET_KEY');
  if (production && !webhookSecretKey)
    problems.push('WEBHOOK_SECRET_KEY is required when NODE_ENV=production');
  if (webhookSecretKey && webhookSecretKey.length < 32)
    problems.push('WEBHOOK_SECRET_KEY must be at least 32 characters');

  const appRole = (read('APP_ROLE') ?? 'all') as AppRole;
  if (!['api', 'worker', 'all'].includes(appRole)) {
    problems.push(`APP_ROLE must be api, worker or all (got "${appRole}")`);
  }

  const adminEmail = read('ADMIN_EMAIL');
  const adminPassword = read('ADMIN_PASSWORD');
  if (adminEmail && !/^[^\s@]+@[^\s@]+$/.test(adminEmail))
    problems.push('ADMIN_EMAIL is not an email address');
  if (adminPassword && adminPassword.length < 12)
    problems.push('ADMIN_PASSWORD must be at least 12 characters');
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }

  const allowed = read('ALLOWED_ATTACHMENT_TYPES');
  const allowedAttachmentTypes = allowed
    ? allowed
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean)
    : DEFAULT_ALLOWED_ATTACHMENT_TYPES;
  for (const type of allowedAttachmentTypes) {
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type))
      problems.push(`ALLOWED_ATTACHMENT_TYPES has a bad MIME type "${type}"`);
  }

  const cors = read('CORS_ORIGINS');
  const config = new AppConfig({
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/helpdesk', [
      'postgres:',
      'postgresql:',
    ])!,
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    databaseLogQueries: bool('DATABASE_LOG_QUERIES', false),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    redisPrefix: read('REDIS_PREFIX') ?? 'helpdesk',
    jwtSecret: jwtSecret ?? randomBytes(48).toString('base64url'),
    jwtSecretGenerated: !jwtSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    adminEmail,
    adminPassword,
    smtpUrl: url('SMTP_URL', undefined, ['smtp:', 'smtps:']),
    mailFrom: read('MAIL_FROM') ?? 'Helpdesk <support@localhost>',
    mailDir: read('MAIL_DIR') ?? './var/mail',
    templatesDir: read('TEMPLATES_DIR'),
    mailMaxAttempts: int('MAIL_MAX_ATTEMPTS', 5, 1, 50),
    mailRetryBaseMs: int('MAIL_RETRY_BASE_MS', 60_000, 10, 3_600_000),
    mailSweepIntervalMs: int('MAIL_SWEEP_INTERVAL_MS', 30_000, 100, 3_600_000),
    storageDir: read('STORAGE_DIR') ?? './var/attachments',
    allowedAttachmentTypes,
    maxAttachmentBytes: int('MAX_ATTACHMENT_BYTES', 10_485_760, 1, 2 ** 31 - 1),
    publicRateLimitPerMinute: int('PUBLIC_RATE_LIMIT_PER_MINUTE', 60, 0, 1_000_000),
    publicUrl: (url('PUBLIC_URL', 'http://localhost:3000', ['http:', 'https:']) ?? '').replace(
      /\/+$/,
      '',
    ),
    slaSweepIntervalMs: int('SLA_SWEEP_INTERVAL_MS', 60_000, 100, 86_400_000),
    autoCloseDays: int('AUTO_CLOSE_DAYS', 7, 0, 3650),
    auditHmacKey: auditHmacKey ?? randomBytes(48).toString('base64url'),
    auditHmacKeyGenerated: !auditHmacKey,
    auditHmacPreviousKeys,
    webhooksAllowPrivate: bool('WEBHOOKS_ALLOW_PRIVATE', false),
    eventStreamsPerCaller: int('EVENT_STREAMS_PER_CALLER', 5, 1, 10_000),
    eventStreamsPerProcess: int('EVENT_STREAMS_PER_PROCESS', 1_000, 1, 1_000_000),
    eventStreamRecheckMs: int('EVENT_STREAM_RECHECK_MS', 5_000, 50, 3_600_000),
    webhookSecretKey: webhookSecretKey ?? randomBytes(48).toString('base64url'),
    webhookSecretKeyGenerated: !webhookSecretKey,
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookRetryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    webhookRetryWindowMs: int('WEBHOOK_RETRY_WINDOW_MS', 86_400_000, 100, 7 * 86_400_000),
    appRole,
    corsOrigins: cors ? (cors === '*' ? true : cors.split(',').map((o) => o.trim())) : true,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    logLevel: read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info'),
  });
  if (problems.length) throw new ConfigError(problems);
  return config;
}
