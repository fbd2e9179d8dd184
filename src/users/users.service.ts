import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ConflictError,
  DomainEvents,
  EmailTakenError,
  type FieldChanges,
  NotFoundError,
  pageOf,
  UnitOfWork,
  SYSTEM_ACTOR,
  ValidationFailedError,
  type Page,
} from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { PasswordHasher } from './password-hasher';
import type { Role, StaffRole } from 'src/access/roles';
import { isStaffRole } from 'src/access/roles';
import { User } from './user.entity';
import { UserCreated, UserUpdated } from './users.events';
import { UsersRepository, type UserFilter } from './users.repository';

export interface StaffUserInput {
  email: string;
  name: string;
  role: StaffRole;
  password: string;
}

export interface UserChanges {
  name?: string;
  role?: StaffRole;
  isActive?: boolean;
  password?: string;
  /** A customer's (or staff member's) organization; null clears it. */
  organization?: string | null;
}

export interface CustomerInput {
  email: string;
  name: string;
  phoneNumber?: string | null;
  organization?: string | null;
  externalId?: string | null;
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly domainEvents: DomainEvents,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /** Creates the bootstrap admin from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists yet. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    await this.unitOfWork.run(
      async () => {
        if (await this.users.existsActiveAdmin()) return;
        const existing = await this.users.findByEmail(adminEmail);
        if (existing) {
          this.logger.warn(
            `ADMIN_EMAIL ${adminEmail} belongs to a non-admin account; no admin bootstrapped`,
          );
          return;
        }
        await this.createStaff({
          email: adminEmail,
          name: 'Administrator',
          role: 'admin',
          password: adminPassword,
        });
        this.logger.log(`Bootstrapped admin ${adminEmail}`);
      },
      { actor: SYSTEM_ACTOR },
    );
  }

  async findById(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError(`No user ${id}.`);
    return user;
  }

  findByIdOrNull(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  findByIds(ids: string[]): Promise<User[]> {
    return this.users.findByIds([...new Set(ids)]);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  /** Every active user with exactly this role (e.g. the support_managers SLA emails go to). */
  findActiveWithRole(role: Role): Promise<User[]> {
    return this.users.findActiveWithRole(role);
  }

  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.users.findByEmailWithPassword(email);
  }

  async list(filter: UserFilter): Promise<Page<User>> {
    const [items, total] = await this.users.list(filter);
    return pageOf(items, total, filter);
  }

  /**
   * Hashes the password first (argon2 is ~100 ms of CPU) and only then opens — or joins — the
   * unit of work, so a burst of sign-ups does not hold pooled connections while hashing.
   */
  async createStaff(input: StaffUserInput): Promise<User> {
    const passwordHash = await this.hasher.hash(input.password);
    return this.unitOfWork.run(async () => {
      if (await this.users.findByEmail(input.email)) {
        throw new EmailTakenError(`An account with email ${input.email} already exists.`);
      }
      const user = new User();
      user.setEmail(input.email);
      user.name = input.name;
      user.role = input.role;
      user.passwordHash = passwordHash;
      user.phoneNumber = null;
      user.organization = null;
      user.externalId = null;
      user.isActive = true;
      const saved = await this.saveUnique(user);
      this.domainEvents.record(new UserCreated(saved.id, saved.role, saved.email));
      return saved;
    });
  }

  /** Like createStaff: a new password is hashed before the unit of work starts. */
  async update(id: string, changes: UserChanges): Promise<User> {
    const passwordHash =
      changes.password !== undefined ? await this.hasher.hash(changes.password) : undefined;
    return this.unitOfWork.run(() => this.applyChanges(id, changes, passwordHash));
  }

  private async applyChanges(
    id: string,
    changes: UserChanges,
    passwordHash: string | undefined,
  ): Promise<User> {
    const user = await this.users.findByIdForUpdate(id);
    if (!user) throw new NotFoundError(`No user ${id}.`);
    if (changes.role && !isStaffRole(user.role)) {
      throw ValidationFailedError.forField('role', 'customers cannot be given a staff role');
    }
    const removesAnAdmin =
      user.role === 'admin' &&
      user.isActive &&
      ((changes.role !== undefined && changes.role !== 'admin') || changes.isActive === false);
    if (removesAnAdmin && (await this.users.lockAndCountOtherActiveAdmins(user.id)) === 0) {
      throw new ConflictError(
        'This is the last active admin: promote or activate another admin first.',
      );
    }
    const diff: FieldChanges = {};
    if (changes.name !== undefined && changes.name !== user.name) {
      diff.name = [user.name, changes.name];
      user.name = changes.name;
    }
    if (changes.role !== undefined && changes.role !== user.role) {
      diff.role = [user.role, changes.role];
      user.role = changes.role;
    }
    if (changes.isActive !== undefined && changes.isActive !== user.isActive) {
      diff.is_active = [user.isActive, changes.isActive];
      user.isActive = changes.isActive;
    }
    if (changes.organization !== undefined && changes.organization !== user.organization) {
      diff.organization = [user.organization, changes.organization];
      user.organization = changes.organization;
    }
    if (changes.password !== undefined) {
      if (!isStaffRole(user.role)) {
        throw ValidationFailedError.forField(
          'password',
          'customers sign in with magic links, not passwords',
        );
      }
      user.passwordHash = passwordHash!;
      diff.password = ['***', '***'];
    }
    if (Object.keys(diff).length === 0) return user;
    const saved = await this.users.save(user);
    this.domainEvents.record(new UserUpdated(saved.id, diff));
    return saved;
  }

  /**
   * Finds a customer by email (case-insensitively) or creates one. An existing account keeps its
   * name; blank optional fields are filled in. Staff emails may open tickets as themselves.
   */
  async findOrCreateCustomer(input: CustomerInput): Promise<User> {
    const user = new User();
    user.setEmail(input.email);
    user.name = input.name;
    user.role = 'customer' satisfies Role;
    user.passwordHash = null;
    // Blank optional fields never fill anything in.
    user.phoneNumber = input.phoneNumber || null;
    user.organization = input.organization || null;
    user.externalId = input.externalId || null;
    user.isActive = true;
    // One statement: insert-if-absent, or the existing user with blanks filled (a ticket's
    // hot path; two first tickets from one new address meet in the unique index).
    return this.users.upsertCustomer(user);
  }

  /** Saves a new user; a concurrent insert of the same email surfaces as EMAIL_TAKEN, not a 500. */
  private async saveUnique(user: User): Promise<User> {
    try {
      return await this.users.save(user);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new EmailTakenError(`An account with email ${user.email} already exists.`);
      }
      throw error;
    }
  }
}
