import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { offsetOf } from '@helpdesk/common';
import type { Role } from './role';
import { User } from './user.entity';

export interface UserFilter {
  role?: Role;
  q?: string;
  isActive?: boolean;
  page: number;
  limit: number;
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
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  /** Includes the password hash, which is never selected otherwise. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  findActiveWithRole(role: Role): Promise<User[]> {
    return this.repo.find({
      where: { role, isActive: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
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
      `INSERT INTO app_user (id, email, name, role, phone_number, organization, external_id)
       VALUES ($1, $2, $3, 'customer', $4, $5, $6)
       ON CONFLICT ((lower(email))) DO UPDATE SET
         phone_number = COALESCE(NULLIF(app_user.phone_number, ''), EXCLUDED.phone_number, app_user.phone_number),
         organization = COALESCE(NULLIF(app_user.organization, ''), EXCLUDED.organization, app_user.organization),
         external_id = COALESCE(NULLIF(app_user.external_id, ''), EXCLUDED.external_id, app_user.external_id),
         updated_at = CASE
           WHEN (COALESCE(app_user.phone_number, '') = '' AND EXCLUDED.phone_number IS NOT NULL)
             OR (COALESCE(app_user.organization, '') = '' AND EXCLUDED.organization IS NOT NULL)
             OR (COALESCE(app_user.external_id, '') = '' AND EXCLUDED.external_id IS NOT NULL)
           THEN now() ELSE app_user.updated_at END
       RETURNING id, email, name, role, phone_number, organization, external_id, is_active,
         created_at, updated_at`,
      [user.id, user.email, user.name, user.phoneNumber, user.organization, user.externalId],
    );
    const row = rows[0];
    return Object.assign(new User(), {
      id: row.id as string,
      email: row.email as string,
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
