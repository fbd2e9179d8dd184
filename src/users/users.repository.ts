import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { normalizeEmail, offsetOf } from '@helpdesk/common';
import type { Role } from 'src/access/roles';
import { User } from './user.entity';

export interface UserFilter {
  role?: Role;
  q?: string;
  isActive?: boolean;
  page: number;
  limit: number;
  offset?: number;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(User);
  }

  findById(id: string): Promise<User | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
  }

  findByEmail(email: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.email_normalized = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /** Includes the password hash, which is never selected otherwise. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email_normalized = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  findActiveWithRole(role: Role): Promise<User[]> {
    return this.repo.find({
      where: { role, isActive: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Serialises every change that could remove an active admin (a transaction-scoped advisory
   * lock), then counts the active admins other than `userId`. Two concurrent demotions of the
   * last two admins take turns here, and the second sees the first's commit (READ COMMITTED
   * takes a fresh snapshot per statement), so one admin always remains.
   */
  async lockAndCountOtherActiveAdmins(userId: string): Promise<number> {
    await this.txHost.tx.query(`SELECT pg_advisory_xact_lock(hashtext('helpdesk:active-admins'))`);
    const rows: Array<{ count: number }> = await this.txHost.tx.query(
      `SELECT count(*)::int AS count FROM app_user WHERE role = 'admin' AND is_active AND id <> $1`,
      [userId],
    );
    return rows[0].count;
  }

  existsActiveAdmin(): Promise<boolean> {
    return this.repo.exists({ where: { role: 'admin', isActive: true } });
  }

  async list(filter: UserFilter): Promise<[User[], number]> {
    const query = this.repo.createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.isActive !== undefined)
      query.andWhere('u.is_active = :active', { active: filter.isActive });
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere('(u.email ILIKE :pattern OR u.name ILIKE :pattern)', { pattern });
    }
    return query
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .skip(offsetOf(filter))
      .take(filter.limit)
      .getManyAndCount();
  }

  /**
   * A customer by email in one statement: inserted when new; an existing user (whatever their
   * role) is answered as they are, with any contact detail they lacked filled in from `user`.
   * Concurrent first tickets from one new address meet in the unique index, not in a race.
   */
  async upsertCustomer(user: User): Promise<User> {
    const rows: Array<Record<string, unknown>> = await this.repo.query(
      `INSERT INTO app_user (id, email, email_normalized, name, role, phone_number, organization, external_id)
       VALUES ($1, $2, $3, $4, 'customer', $5, $6, $7)
       ON CONFLICT (email_normalized) DO UPDATE SET
         phone_number = COALESCE(NULLIF(app_user.phone_number, ''), EXCLUDED.phone_number, app_user.phone_number),
         organization = COALESCE(NULLIF(app_user.organization, ''), EXCLUDED.organization, app_user.organization),
         external_id = COALESCE(NULLIF(app_user.external_id, ''), EXCLUDED.external_id, app_user.external_id),
         updated_at = CASE
           WHEN (COALESCE(app_user.phone_number, '') = '' AND EXCLUDED.phone_number IS NOT NULL)
             OR (COALESCE(app_user.organization, '') = '' AND EXCLUDED.organization IS NOT NULL)
             OR (COALESCE(app_user.external_id, '') = '' AND EXCLUDED.external_id IS NOT NULL)
           THEN now() ELSE app_user.updated_at END
       RETURNING id, email, email_normalized, name, role, phone_number, organization, external_id, is_active,
         created_at, updated_at`,
      [
        user.id,
        user.email,
        normalizeEmail(user.email),
        user.name,
        user.phoneNumber,
        user.organization,
        user.externalId,
      ],
    );
    const row = rows[0];
    return Object.assign(new User(), {
      id: row.id as string,
      email: row.email as string,
      emailNormalized: row.email_normalized as string,
      name: row.name as string,
      role: row.role as User['role'],
      phoneNumber: row.phone_number as string | null,
      organization: row.organization as string | null,
      externalId: row.external_id as string | null,
      isActive: row.is_active as boolean,
      createdAt: row.created_at as Date,
      updatedAt: row.updated_at as Date,
    });
  }

  save(user: User): Promise<User> {
    return this.repo.save(user);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.repo.update({ id: userId }, { passwordHash });
  }

  /** Locks the row for an update that must not interleave with another. */
  findByIdForUpdate(id: string): Promise<User | null> {
    return this.repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }
}
