import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IsNull } from 'typeorm';
import {
  DomainEvents,
  NotFoundError,
  randomToken,
  sha256Hex,
  UnauthenticatedError,
  type Actor,
} from '@helpdesk/common';
import type { StaffRole } from 'src/access/roles';
import { ApiKey } from './api-key.entity';
import { ApiKeyCreated, ApiKeyRevoked } from './auth.events';

const KEY_PREFIX = 'hd_';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly domainEvents: DomainEvents,
  ) {}

  private get repo() {
    return this.txHost.tx.getRepository(ApiKey);
  }

  /** Creates a key; the plain key is returned this once and only its hash is stored. */
  async create(
    name: string,
    role: StaffRole,
    createdById: string | null,
  ): Promise<{ apiKey: ApiKey; key: string }> {
    const key = randomToken(32, KEY_PREFIX);
    const apiKey = new ApiKey();
    apiKey.name = name;
    apiKey.role = role;
    apiKey.keyHash = sha256Hex(key);
    apiKey.keyPrefix = key.slice(0, KEY_PREFIX.length + 6);
    apiKey.createdById = createdById;
    apiKey.lastUsedAt = null;
    apiKey.revokedAt = null;
    const saved = await this.repo.save(apiKey);
    this.domainEvents.record(new ApiKeyCreated(saved.id, saved.name, saved.role));
    return { apiKey: saved, key };
  }

  listActive(): Promise<ApiKey[]> {
    return this.repo.find({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async revoke(id: string): Promise<void> {
    const result = await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new NotFoundError(`No API key ${id}.`);
    this.domainEvents.record(new ApiKeyRevoked(id));
  }

  /** Resolves an `X-API-Key` header to its actor; revoked or unknown keys are refused at once. */
  async authenticate(key: string): Promise<Actor> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200)
      throw new UnauthenticatedError('The API key is not valid.');
    const apiKey = await this.repo.findOne({
      where: { keyHash: sha256Hex(key), revokedAt: IsNull() },
    });
    if (!apiKey) throw new UnauthenticatedError('The API key is not valid.');
    // Cheap, throttled bookkeeping: at most one write per key per minute.
    await this.repo
      .createQueryBuilder()
      .update(ApiKey)
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id: apiKey.id })
      .andWhere("(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
      .execute();
    return { type: 'api_key', id: apiKey.id, role: apiKey.role, name: apiKey.name };
  }
}
