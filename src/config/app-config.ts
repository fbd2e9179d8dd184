import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export type AppRole = 'api' | 'worker' | 'all';

/** The validated, typed configuration. process.env is read nowhere else (API.md section 13). */
export class AppConfig {
  readonly nodeEnv: string;
  readonly port: number;
  readonly databaseUrl: string;
  /**
   * The role migrations run as (it owns the schema); unset: DATABASE_URL's role migrates too.
   * With it set, the runtime role gets only row privileges, so it cannot ALTER the audit log
   * (e.g. disable its append-only trigger) nor UPDATE/DELETE its rows (docs/audit.md).
   */
  readonly databaseMigrationUrl?: string;
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
  /** Ports a webhook URL may name; 'any' when WEBHOOKS_ALLOWED_PORTS=* (or private targets are allowed and it is unset). */
  readonly webhooksAllowedPorts: number[] | 'any';
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
  /** Exact origins allowed cross-origin; 'any' reflects any origin except `null`; [] allows none. */
  readonly corsOrigins: string[] | 'any';
  readonly bodyLimitBytes: number;
  /** Whole request (headers and body) must arrive within this; a trickling body is cut off (408). */
  readonly requestTimeoutMs: number;
  /** Request headers must arrive within this (Node's headersTimeout). */
  readonly headersTimeoutMs: number;
  /** Serve `/metrics` at all. */
  readonly metricsEnabled: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** How often workers delete idempotency records past their 24 h window. */
  readonly idempotencyPurgeIntervalMs: number;
  /** Serve `/docs`, `/docs-json` and `/docs-yaml`. */
  readonly docsEnabled: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  // --- sessions and public-route abuse limits (docs/sessions.md) ---
  /** Which proxies' X-Forwarded-For to believe: none (false), a hop count, or addresses/CIDRs. */
  readonly trustProxy: TrustProxy;
  /** How long one process trusts its last answer to "is this session alive?" (0: ask every time). */
  readonly sessionCheckCacheMs: number;
  /** Sign-in attempts per account (normalised email) per hour, whatever their outcome; 0: off. */
  readonly loginRateLimitPerAccountPerHour: number;
  /** Magic-link requests per target address per hour (no email-bombing a customer); 0: off. */
  readonly magicLinkRateLimitPerAddressPerHour: number;
  /** Tickets opened through public intake per customer per hour (anonymous or signed in); 0: off. */
  readonly intakeRateLimitPerCustomerPerHour: number;
  /** A ticket's access token stops working this many days after it was issued or rotated. */
  readonly ticketTokenTtlDays: number;
  /** Portal (customer and ticket-token) upload quotas per hour; 0 turns one off. */
  readonly uploadQuota: UploadQuota;

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

/** `TRUST_PROXY`: never a blanket `true` (anyone could then choose their own IP). */
export type TrustProxy = false | number | string[];

export interface UploadQuotaLimit {
  filesPerHour: number;
  bytesPerHour: number;
}

export interface UploadQuota {
  perTicket: UploadQuotaLimit;
  perCustomer: UploadQuotaLimit;
  perTicketToken: UploadQuotaLimit;
}

const TRUST_PROXY_TRUE_MESSAGE =
  'TRUST_PROXY=true would believe any client’s X-Forwarded-For; list the proxies (CIDRs, e.g. 10.0.0.0/8,127.0.0.1) or give a hop count (e.g. 1)';

/** Parses TRUST_PROXY into false, a hop count or a list of addresses/CIDRs; returns a problem text. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | string {
  if (raw === undefined || ['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', '*'].includes(raw.toLowerCase())) return TRUST_PROXY_TRUE_MESSAGE;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return hops <= 32 ? hops : 'TRUST_PROXY hop count must be between 0 and 32';
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (bad.length) {
    return `TRUST_PROXY must be a hop count or a comma list of IP addresses/CIDRs (bad: "${bad.join('", "')}")`;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
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

/** pino's levels; anything else made pino throw with a stack trace at start. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'test', 'production'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One self-contained line per bad variable: what operators see when the process stops.
    super(problems.map((problem) => `Invalid configuration: ${problem}`).join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** `https://app.example.com` (scheme, host, port; no path): what a browser sends as Origin. */
function isHttpOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return ['http:', 'https:'].includes(parsed.protocol) && parsed.origin === value;
  } catch {
    return false;
  }
}

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
  const matching = (name: string, fallback: string, pattern: RegExp, what: string): string => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!pattern.test(raw)) problems.push(`${name} may contain only ${what} (got "${raw}")`);
    return raw;
  };
  /** `Name <local@domain>` or a bare `local@domain`: the domain also names Message-IDs. */
  const mailbox = (name: string, fallback: string): string => {
    const raw = read(name) ?? fallback;
    if (!/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(raw))
      problems.push(
        `${name} must be an address like "Helpdesk <support@example.com>" (got "${raw}")`,
      );
    return raw;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
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

  const nodeEnv = oneOf('NODE_ENV', 'development', NODE_ENVS);
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

  const appRole = oneOf<AppRole>('APP_ROLE', 'all', ['api', 'worker', 'all']);

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

  const publicUrlRaw = read('PUBLIC_URL');
  if (production && !publicUrlRaw)
    problems.push('PUBLIC_URL is required when NODE_ENV=production (links in emails use it)');

  const cors = read('CORS_ORIGINS');
  const corsOrigins: string[] | 'any' =
    cors === '*'
      ? 'any'
      : cors !== undefined
        ? cors
            .split(',')
            .map((o) => o.trim().replace(/\/+$/, ''))
            .filter(Boolean)
        : production
          ? [] // production without a list: no cross-origin access rather than any origin
          : 'any';
  if (Array.isArray(corsOrigins)) {
    for (const origin of corsOrigins) {
      // `null` is the origin of sandboxed frames and file: pages: never a trusted one.
      if (!isHttpOrigin(origin))
        problems.push(`CORS_ORIGINS has "${origin}", which is not an http(s) origin`);
    }
  }

  const webhooksAllowPrivate = bool('WEBHOOKS_ALLOW_PRIVATE', false);
  const portsRaw = read('WEBHOOKS_ALLOWED_PORTS');
  let webhooksAllowedPorts: number[] | 'any' =
    portsRaw === undefined ? (webhooksAllowPrivate ? 'any' : [80, 443]) : 'any';
  if (portsRaw !== undefined && portsRaw !== '*') {
    webhooksAllowedPorts = portsRaw.split(',').map((part) => Number(part.trim()));
    if (webhooksAllowedPorts.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      problems.push(`WEBHOOKS_ALLOWED_PORTS must be * or a list of ports (got "${portsRaw}")`);
      webhooksAllowedPorts = [80, 443];
    }
  }

  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken && metricsToken.length < 16)
    problems.push('METRICS_TOKEN must be at least 16 characters');

  const databaseMigrationUrl = url('DATABASE_MIGRATION_URL', undefined, [
    'postgres:',
    'postgresql:',
  ]);
  if (databaseMigrationUrl) {
    try {
      if (!new URL(read('DATABASE_URL') ?? 'postgres://postgres@x/y').username)
        problems.push('DATABASE_URL must name its role (user) when DATABASE_MIGRATION_URL is set');
    } catch {
      // DATABASE_URL's own check reports it
    }
  }
  const trustProxy = parseTrustProxy(read('TRUST_PROXY'));
  if (typeof trustProxy === 'string') problems.push(trustProxy);
  const MIB = 1_048_576;
  // Each variable is named in full so the README/.env.example check (config-variables.spec) finds it.
  const quota = (filesVar: string, bytesVar: string, files: number, mebibytes: number) => ({
    filesPerHour: int(filesVar, files, 0, 1_000_000),
    bytesPerHour: int(bytesVar, mebibytes * MIB, 0, 2 ** 42),
  });
  const config = new AppConfig({
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/helpdesk', [
      'postgres:',
      'postgresql:',
    ])!,
    databaseMigrationUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    databaseLogQueries: bool('DATABASE_LOG_QUERIES', false),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    redisPrefix: matching(
      'REDIS_PREFIX',
      'helpdesk',
      /^[\w:.-]{1,100}$/,
      'letters, digits, _ : . -',
    ),
    jwtSecret: jwtSecret ?? randomBytes(48).toString('base64url'),
    jwtSecretGenerated: !jwtSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    adminEmail,
    adminPassword,
    smtpUrl: url('SMTP_URL', undefined, ['smtp:', 'smtps:']),
    mailFrom: mailbox('MAIL_FROM', 'Helpdesk <support@localhost>'),
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
    webhooksAllowPrivate,
    webhooksAllowedPorts,
    eventStreamsPerCaller: int('EVENT_STREAMS_PER_CALLER', 5, 1, 10_000),
    eventStreamsPerProcess: int('EVENT_STREAMS_PER_PROCESS', 1_000, 1, 1_000_000),
    eventStreamRecheckMs: int('EVENT_STREAM_RECHECK_MS', 5_000, 50, 3_600_000),
    webhookSecretKey: webhookSecretKey ?? randomBytes(48).toString('base64url'),
    webhookSecretKeyGenerated: !webhookSecretKey,
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookRetryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    webhookRetryWindowMs: int('WEBHOOK_RETRY_WINDOW_MS', 86_400_000, 100, 7 * 86_400_000),
    appRole,
    corsOrigins,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
    headersTimeoutMs: int('HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
    metricsEnabled: bool('METRICS_ENABLED', true),
    metricsToken,
    docsEnabled: bool('DOCS_ENABLED', true),
    idempotencyPurgeIntervalMs: int('IDEMPOTENCY_PURGE_INTERVAL_MS', 3_600_000, 100, 86_400_000),
    logLevel: oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info', LOG_LEVELS),
    trustProxy: typeof trustProxy === 'string' ? false : trustProxy,
    sessionCheckCacheMs: int('SESSION_CHECK_CACHE_MS', 2000, 0, 10_000),
    loginRateLimitPerAccountPerHour: int('LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR', 30, 0, 1_000_000),
    magicLinkRateLimitPerAddressPerHour: int(
      'MAGIC_LINK_RATE_LIMIT_PER_ADDRESS_PER_HOUR',
      5,
      0,
      1_000_000,
    ),
    intakeRateLimitPerCustomerPerHour: int(
      'INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR',
      20,
      0,
      1_000_000,
    ),
    ticketTokenTtlDays: int('TICKET_TOKEN_TTL_DAYS', 30, 1, 3650),
    uploadQuota: {
      perTicket: quota(
        'ATTACHMENT_QUOTA_TICKET_FILES_PER_HOUR',
        'ATTACHMENT_QUOTA_TICKET_BYTES_PER_HOUR',
        50,
        200,
      ),
      perCustomer: quota(
        'ATTACHMENT_QUOTA_CUSTOMER_FILES_PER_HOUR',
        'ATTACHMENT_QUOTA_CUSTOMER_BYTES_PER_HOUR',
        50,
        200,
      ),
      perTicketToken: quota(
        'ATTACHMENT_QUOTA_TOKEN_FILES_PER_HOUR',
        'ATTACHMENT_QUOTA_TOKEN_BYTES_PER_HOUR',
        20,
        50,
      ),
    },
  });
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    problems.push('HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
