import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IsNull, MoreThan } from 'typeorm';
import {
  AccountDisabledError,
  DomainEvents,
  InvalidCredentialsError,
  normalizeEmail,
  RateLimitedError,
  randomToken,
  RequestContext,
  ServiceUnavailableError,
  sha256Hex,
  UnauthenticatedError,
  UnitOfWork,
  withTimeout,
  type Actor,
} from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { NotificationLinks } from 'src/notifications/notification-links';
import { NotificationsService } from 'src/notifications/notifications.service';
import { RateCounter } from 'src/redis/rate-counter';
import { PasswordHasher } from 'src/users/password-hasher';
import { isStaffRole } from 'src/access/roles';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { LoginFailed, UserLoggedIn } from './auth.events';
import { LoginThrottle } from './login-throttle';
import { MagicLinkToken } from './magic-link-token.entity';
import {
  ISSUE_MAGIC_LINK_JOB,
  MAGIC_LINK_ENQUEUE_TIMEOUT_MS,
  MAGIC_LINK_JOB_ATTEMPTS,
  MAGIC_LINKS_QUEUE,
  type IssueMagicLinkJob,
} from './magic-links.constants';
import { TokenService, type IssuedTokens } from './token.service';

const MAGIC_LINK_TTL_MS = 15 * 60 * 1000;

export interface SignedIn extends IssuedTokens {
  user: User;
}

/**
 * Sign-in flows. Login and refresh manage their own units of work because a failure must still
 * commit something (the failed-login audit entry, the revoked token family) before answering 401.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly unitOfWork: UnitOfWork,
    private readonly domainEvents: DomainEvents,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly notifications: NotificationsService,
    private readonly links: NotificationLinks,
    private readonly context: RequestContext,
    @InjectQueue(MAGIC_LINKS_QUEUE) private readonly magicLinks: Queue<IssueMagicLinkJob>,
    private readonly counter: RateCounter,
    private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<SignedIn> {
    // Every attempt counts against the account, not just failures: a slow password spray or a
    // flood of correct sign-ins from many IPs is limited per account too.
    const accountLimited = await this.counter.consume({
      name: 'login-account',
      subject: normalizeEmail(email),
      limit: this.config.loginRateLimitPerAccountPerHour,
      windowSeconds: 3600,
    });
    if (accountLimited !== null) {
      await this.recordFailure(email, null, 'rate_limited');
      throw new RateLimitedError(accountLimited, 'Too many sign-ins for this email; try later.');
    }
    const lockedFor = await this.throttle.lockedFor(email);
    if (lockedFor !== null) {
      await this.recordFailure(email, null, 'rate_limited');
      throw new RateLimitedError(
        lockedFor,
        'Too many failed sign-ins for this email; try again later.',
      );
    }
    const user = await this.users.findByEmailWithPassword(email);
    const passwordOk = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !passwordOk || !isStaffRole(user.role)) {
      await this.throttle.recordFailure(email);
      await this.recordFailure(email, user?.id ?? null, 'invalid_credentials');
      throw new InvalidCredentialsError('The email or password is wrong.');
    }
    if (!user.isActive) {
      await this.recordFailure(email, user.id, 'account_disabled');
      throw new AccountDisabledError('This account is deactivated.');
    }
    await this.throttle.reset(email);
    return this.unitOfWork.run(
      async () => {
        this.domainEvents.record(new UserLoggedIn(user.id, 'password'));
        return { ...(await this.tokens.issue(user)), user };
      },
      { actor: this.actorFor(user) },
    );
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const outcome = await this.unitOfWork.run(async () => {
      const spent = await this.tokens.spend(refreshToken);
      if (spent.kind === 'reused') await this.tokens.revokeFamily(spent.familyId);
      if (spent.kind !== 'valid') return null;
      const user = await this.users.findByIdOrNull(spent.session.userId);
      if (!user?.isActive) return null;
      return { ...(await this.tokens.issue(user, spent.session.familyId)), user };
    });
    if (!outcome) throw new UnauthenticatedError('The refresh token is not valid.');
    return outcome;
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.tokens.revokeFamily(actor.sessionId);
  }

  /**
   * Always succeeds from the caller's view, and does the same work whatever the address: it only
   * enqueues it (MagicLinkWorker calls issueMagicLink), so neither the answer nor its timing says
   * whether an account exists.
   */
  async requestMagicLink(email: string): Promise<void> {
    // Counted per target address whether or not it exists (no enumeration, no email-bombing).
    const limited = await this.counter.consume({
      name: 'magic-link-address',
      subject: normalizeEmail(email),
      limit: this.config.magicLinkRateLimitPerAddressPerHour,
      windowSeconds: 3600,
    });
    if (limited !== null) {
      throw new RateLimitedError(limited, 'Too many sign-in links for this address; try later.');
    }
    try {
      await withTimeout(
        this.magicLinks.add(
          ISSUE_MAGIC_LINK_JOB,
          { email },
          {
            attempts: MAGIC_LINK_JOB_ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        ),
        MAGIC_LINK_ENQUEUE_TIMEOUT_MS,
        'enqueueing a magic link',
      );
    } catch {
      throw new ServiceUnavailableError('Sign-in links cannot be sent right now; retry shortly.');
    }
  }

  /**
   * Runs in the worker: only existing, active customers get an email. The email is planned in
   * this unit of work (the outbox), so it goes out only if the token commits.
   */
  async issueMagicLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.role !== 'customer' || !user.isActive) return;
    const token = randomToken(32);
    const link = new MagicLinkToken();
    link.userId = user.id;
    link.tokenHash = sha256Hex(token);
    link.expiresAt = new Date(Date.now() + MAGIC_LINK_TTL_MS);
    link.usedAt = null;
    await this.txHost.tx.getRepository(MagicLinkToken).save(link);
    await this.notifications.plan({
      event: 'magic_link',
      to: user.email,
      data: {
        name: user.name,
        sign_in_url: this.links.signIn(token),
        expires_in_minutes: MAGIC_LINK_TTL_MS / 60_000,
      },
    });
  }

  async verifyMagicLink(token: string): Promise<SignedIn> {
    const signedIn = await this.unitOfWork.run(async () => {
      const repo = this.txHost.tx.getRepository(MagicLinkToken);
      const link = await repo.findOne({
        where: { tokenHash: sha256Hex(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!link) return null;
      link.usedAt = new Date();
      await repo.save(link);
      const user = await this.users.findByIdOrNull(link.userId);
      if (!user?.isActive || user.role !== 'customer') return null;
      // The caller is anonymous until the link proves who they are: the sign-in is theirs.
      this.context.actor = this.actorFor(user);
      this.domainEvents.record(new UserLoggedIn(user.id, 'magic_link'));
      return { ...(await this.tokens.issue(user)), user };
    });
    if (!signedIn) throw new UnauthenticatedError('The sign-in link is not valid or has expired.');
    return signedIn;
  }

  private actorFor(user: User): Actor {
    return { type: 'user', id: user.id, role: user.role, name: user.name, email: user.email };
  }

  private async recordFailure(
    email: string,
    userId: string | null,
    reason: LoginFailed['details']['reason'],
  ): Promise<void> {
    await this.unitOfWork.run(async () => {
      this.domainEvents.record(new LoginFailed(userId, email.slice(0, 254), reason));
    });
  }
}
