import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { preparedQuery } from '../database/prepared-query';

const CTX_DEFERRED_INSERTS = 'uow.deferredInserts';

/** PostgreSQL takes at most 65,535 parameters per statement; stay well below. */
const MAX_PARAMETERS = 30_000;

interface PendingInsert {
  text: string;
  values: unknown[];
}

/**
 * The inserts the consumers of a unit of work make (audit entries, feed rows, outbox rows), sent
 * to PostgreSQL as one statement when the consumers are done instead of one round trip each: they
 * read nothing another consumer writes, and nothing reads them before the commit. Each insert is
 * built by TypeORM's query builder, so defaults and column transforms are exactly as
 * `repository.insert` has them; RETURNING values are not copied back onto the entities.
 */
@Injectable()
export class DeferredInserts {
  constructor(private readonly cls: ClsService) {}

  /**
   * Queues the insert when the consumers of a unit of work are running (the batch is open), or
   * runs it now otherwise.
   */
  async insert<T extends ObjectLiteral>(
    manager: EntityManager,
    target: EntityTarget<T>,
    rows: readonly T[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const builder = manager
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows as unknown as QueryDeepPartialEntity<T>[])
      .updateEntity(false);
    const batch = this.cls.isActive()
      ? this.cls.get<Batch | undefined>(CTX_DEFERRED_INSERTS)
      : undefined;
    if (!batch) {
      await builder.execute();
      return;
    }
    const [text, values] = builder.getQueryAndParameters();
    batch.add(manager, { text, values });
  }

  /** @internal Used by DomainEvents around its consumers: opens a batch, runs `work`, sends it. */
  async collect(work: () => Promise<void>): Promise<void> {
    const outer = this.cls.get<Batch | undefined>(CTX_DEFERRED_INSERTS);
    const batch = new Batch();
    this.cls.set(CTX_DEFERRED_INSERTS, batch);
    try {
      await work();
    } finally {
      this.cls.set(CTX_DEFERRED_INSERTS, outer);
    }
    await batch.flush();
  }
}

class Batch {
  private manager: EntityManager | null = null;
  private readonly pending: PendingInsert[] = [];

  add(manager: EntityManager, insert: PendingInsert): void {
    this.manager ??= manager;
    this.pending.push(insert);
  }

  async flush(): Promise<void> {
    if (!this.manager) return;
    let group: PendingInsert[] = [];
    let parameters = 0;
    for (const insert of this.pending) {
      if (group.length > 0 && parameters + insert.values.length > MAX_PARAMETERS) {
        await this.send(group);
        group = [];
        parameters = 0;
      }
      group.push(insert);
      parameters += insert.values.length;
    }
    if (group.length > 0) await this.send(group);
  }

  private async send(group: PendingInsert[]): Promise<void> {
    const { text, values } = combined(group);
    await preparedQuery(this.manager!, text, values);
  }
}

/**
 * `WITH w1 AS (INSERT …), w2 AS (INSERT …) INSERT …`: data-modifying CTEs all run, in one
 * statement, whatever the main statement reads; each insert's `$n` placeholders are renumbered
 * after the ones before it.
 */
export function combined(inserts: readonly PendingInsert[]): PendingInsert {
  if (inserts.length === 1) return inserts[0];
  const values: unknown[] = [];
  const texts = inserts.map((insert) => {
    const offset = values.length;
    values.push(...insert.values);
    return insert.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = texts.pop()!;
  const ctes = texts.map((text, index) => `w${index + 1} AS (${text})`).join(', ');
  return { text: `WITH ${ctes} ${last}`, values };
}
