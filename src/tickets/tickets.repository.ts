import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { offsetOf, preparedQuery } from '@helpdesk/common';
import { User } from 'src/users/user.entity';
import { Ticket } from './ticket.entity';
import type { TicketStatus } from './ticket-status';
import { applyTicketFilters, applyTicketSort, type TicketListFilter } from './ticket-list.query';

/** Above this many matches a list's total is the planner's estimate. */
export const EXACT_COUNT_LIMIT = 10_000;
/** A planner estimate this far above the limit is taken as it is (see cappedCount). */
const ESTIMATE_TRUSTED_ABOVE = 5 * EXACT_COUNT_LIMIT;

type TicketRow = Record<string, unknown>;

/** What a list item shows of its requester and assignee (src/tickets/ticket.mappers.ts). */
const LIST_PERSON_COLUMNS = ['id', 'name', 'email', 'phoneNumber', 'organization'] as const;

/**
 * What each column of a ticket held when the repository last read or wrote it, so that `save`
 * writes only what the caller changed: no read-before-write, and no UPDATE OF triggers (the
 * search document) fired by columns that did not change.
 */
const persisted = new WeakMap<Ticket, Map<string, string>>();

/** The text a new ticket's search document is made of, besides its subject. */
export interface TicketSearchText {
  /** The requester's name and email (weight B). */
  requester: string;
  /** The first message (weight C). */
  body: string;
}

/** A message's words join the ticket's search document (weight C), in the ticket's UPDATE. */
const SEARCH_APPEND_EXPRESSION = (parameter: number) =>
  `search_vector = search_vector || setweight(to_tsvector('english', $${parameter}), 'C')`;
const APPEND_SEARCH_TEXT = `UPDATE ticket SET ${SEARCH_APPEND_EXPRESSION(2)}`;

function comparable(value: unknown): string {
  return value instanceof Date ? `d:${value.getTime()}` : JSON.stringify(value ?? null);
}

@Injectable()
export class TicketsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(Ticket);
  }

  /**
   * Inserts a new ticket and fills in what the database decided (number, defaults, timestamps)
   * from `RETURNING *`, in the one statement. The search document is written by the same
   * statement from the text the caller gives (subject, requester, first message): no trigger
   * reads the tables back and no later statement rewrites the row.
   */
  async insert(ticket: Ticket, search: TicketSearchText): Promise<Ticket> {
    // Every column the ticket sets, the never-read-back access token hash included.
    const columns = this.repo.metadata.columns.filter(
      (column) => column.isInsert && this.valueOf(ticket, column) !== undefined,
    );
    const n = columns.length;
    const [row] = await preparedQuery(
      this.txHost.tx,
      `INSERT INTO ticket (${columns.map((c) => `"${c.databaseName}"`).join(', ')}, search_vector)
       VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')},
         setweight(to_tsvector('english', $${n + 1}), 'A')
           || setweight(to_tsvector('simple', $${n + 2}), 'B')
           || setweight(to_tsvector('english', $${n + 3}), 'C'))
       RETURNING *`,
      [
        ...columns.map((column) => this.persistentValue(ticket, column)),
        ticket.subject,
        search.requester,
        search.body,
      ],
    );
    return this.hydrate(ticket, row);
  }

  async findLiveById(id: string): Promise<Ticket | null> {
    return this.remember(
      await this.withPeople().where('t.id = :id AND t.deleted_at IS NULL', { id }).getOne(),
    );
  }

  /** A live ticket by its human number (`GET /admin/tickets/by-number/{n}`). */
  async findLiveByNumber(number: number): Promise<Ticket | null> {
    return this.remember(
      await this.withPeople()
        .where('t.number = :number AND t.deleted_at IS NULL', { number })
        .getOne(),
    );
  }

  /**
   * Locks the ticket row for the rest of the transaction, so concurrent writers apply their
   * changes one after another (no lost updates, no workflow races).
   */
  async lockLiveById(id: string): Promise<Ticket | null> {
    const ticket = await this.withPeople()
      .setLock('pessimistic_write', undefined, ['t'])
      .where('t.id = :id AND t.deleted_at IS NULL', { id })
      .getOne();
    return this.remember(ticket);
  }

  /** The live ticket an access token opens, if its requester is active; with the token's age. */
  async findByAccessTokenHash(
    hash: string,
  ): Promise<{ id: string; requesterId: string; issuedAt: Date } | null> {
    const rows: { id: string; requester_id: string; issued_at: Date }[] =
      await this.txHost.tx.query(
        `SELECT t.id, t.requester_id, coalesce(t.access_token_issued_at, t.created_at) AS issued_at
       FROM ticket t JOIN app_user u ON u.id = t.requester_id
       WHERE t.access_token_hash = $1 AND t.deleted_at IS NULL AND u.is_active`,
        [hash],
      );
    const row = rows[0];
    return row ? { id: row.id, requesterId: row.requester_id, issuedAt: row.issued_at } : null;
  }

  /** Replaces a ticket's access token (the old one stops working); not a ticket edit: no version. */
  async replaceAccessToken(id: string, hash: string, issuedAt: Date): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE ticket SET access_token_hash = $2, access_token_issued_at = $3 WHERE id = $1`,
      [id, hash, issuedAt],
    );
  }

  /**
   * Writes the columns the caller changed since the ticket was read, bumps `version` and
   * `updated_at`, and refreshes the ticket from `RETURNING *`: one statement, no re-read. A ticket
   * with no changes is not written (its version stays). `appendSearchText` (a new message's body)
   * is added to the search document in the same statement; alone, it is written without a
   * version bump (a message is not an edit of the ticket).
   */
  async save(ticket: Ticket, options: { appendSearchText?: string } = {}): Promise<Ticket> {
    const before = persisted.get(ticket);
    const changed = this.columns.filter(
      (column) =>
        column.isUpdate &&
        !column.isPrimary &&
        !column.isVersion &&
        !column.isUpdateDate &&
        !column.isCreateDate &&
        (before === undefined ||
          comparable(this.valueOf(ticket, column)) !== before.get(column.propertyName)),
    );
    const text = options.appendSearchText;
    if (changed.length === 0) {
      if (text !== undefined) {
        await preparedQuery(this.txHost.tx, `${APPEND_SEARCH_TEXT} WHERE id = $1`, [
          ticket.id,
          text,
        ]);
      }
      return ticket;
    }
    const values = changed.map((column) => this.persistentValue(ticket, column));
    const assignments = changed.map((c, i) => `"${c.databaseName}" = $${i + 2}`);
    if (text !== undefined) {
      assignments.push(`${SEARCH_APPEND_EXPRESSION(changed.length + 2)}`);
      values.push(text);
    }
    const rows = await preparedQuery(
      this.txHost.tx,
      `UPDATE ticket SET ${assignments.join(', ')}, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [ticket.id, ...values],
    );
    const saved = this.hydrate(ticket, rows[0]);
    if (saved.assigneeId === null) saved.assignee = null;
    else if (saved.assignee?.id !== saved.assigneeId) {
      saved.assignee = await this.txHost.tx.getRepository(User).findOneBy({ id: saved.assigneeId });
    }
    return saved;
  }

  /** Soft delete: the row stays for audit and references, and disappears from every read. */
  async markDeleted(ticket: Ticket): Promise<Ticket> {
    const [rows]: [TicketRow[], number] = await this.txHost.tx.query(
      `UPDATE ticket SET deleted_at = now(), version = version + 1, updated_at = now(),
         access_token_hash = NULL
       WHERE id = $1 RETURNING *`,
      [ticket.id],
    );
    return rows[0] ? this.hydrate(ticket, rows[0]) : ticket;
  }

  /**
   * One page plus its total. Counting every match of a broad filter on a large table costs a
   * scan of all of them, so the count is exact up to EXACT_COUNT_LIMIT matches and above that
   * is the planner's estimate (flagged `estimated`), the way large inboxes usually show "10k+".
   */
  async list(
    filter: TicketListFilter,
  ): Promise<{ items: Ticket[]; total: number; estimated: boolean }> {
    const base = applyTicketFilters(this.repo.createQueryBuilder('t'), filter);
    // One query at a time: a request holds one pool connection, not two.
    if (filter.q !== undefined && filter.number === undefined) {
      const matches = await this.searchMatches(base);
      if (matches.length <= EXACT_COUNT_LIMIT) {
        const items = matches.length ? await this.pageOfMatches(matches, filter) : [];
        return { items, total: matches.length, estimated: false };
      }
      // More than the limit matched: the estimate stands in, never below what was seen.
      const planned = await this.estimate(base);
      const total = Math.max(planned.total, matches.length);
      return { items: await this.pageOf(base, filter), total, estimated: true };
    }
    const counted = await this.cappedCount(base);
    return { items: await this.pageOf(base, filter), ...counted };
  }

  /**
   * Full-text search: the planner misjudges how many tickets a word matches, and for a rare word
   * walks the sort index through most of the table testing each row (docs/benchmarks.md: 91 ms).
   * So the matches are found first, with the search index, up to one past the count limit: when
   * they are that few, their number is the exact total and the page is a sort of just those
   * ids. One search-index scan per request, where count and page each did one.
   */
  private async searchMatches(base: SelectQueryBuilder<Ticket>): Promise<string[]> {
    const rows = await base
      .clone()
      .select('t.id', 'id')
      .limit(EXACT_COUNT_LIMIT + 1)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /**
   * A page of known matches: the page's ids are picked from the ticket rows alone (a sort of the
   * matches), and only those are joined to their people. Joining every match before sorting
   * hash-joined the whole user table for a page of fifty (16 ms at 20,000 users).
   */
  private pageOfMatches(matches: string[], filter: TicketListFilter): Promise<Ticket[]> {
    const matched = this.repo
      .createQueryBuilder('t')
      .where('t.id = ANY(:matches)', { matches })
      .setParameter('q', filter.q);
    if (filter.sort.field === 'relevance') return this.pageOf(matched, filter);
    const pageIds = applyTicketSort(matched.clone().select('t.id'), filter)
      .offset(offsetOf(filter))
      .limit(filter.limit);
    return this.pageOf(
      this.repo
        .createQueryBuilder('t')
        .where(`t.id IN (${pageIds.getQuery()})`)
        .setParameters(pageIds.getParameters()),
      { ...filter, page: 1 },
    );
  }

  private pageOf(query: SelectQueryBuilder<Ticket>, filter: TicketListFilter): Promise<Ticket[]> {
    return applyTicketSort(this.withListPeople(query.clone()), filter)
      .offset(offsetOf(filter))
      .limit(filter.limit)
      .getMany();
  }

  /**
   * The planner's row estimate comes first (no rows read): when it is far above the limit the
   * count would stop at the cap anyway, so the estimate is the answer and ten thousand index
   * entries are not read on every request of a large inbox. Otherwise the matches are counted,
   * exactly, up to the limit; estimates are too rough (a rare search word is overestimated
   * five-fold) to say that a small list is small.
   */
  private async cappedCount(
    base: SelectQueryBuilder<Ticket>,
  ): Promise<{ total: number; estimated: boolean }> {
    const planned = await this.estimate(base);
    if (planned.total > ESTIMATE_TRUSTED_ABOVE) return planned;
    const [sql, params] = base
      .clone()
      .select('1')
      .limit(EXACT_COUNT_LIMIT + 1)
      .getQueryAndParameters();
    const rows: Array<{ n: number }> = await this.txHost.tx.query(
      `SELECT count(*)::int AS n FROM (${sql}) AS capped`,
      params,
    );
    const exact = rows[0].n;
    if (exact <= EXACT_COUNT_LIMIT) return { total: exact, estimated: false };
    return { total: Math.max(planned.total, exact), estimated: true };
  }

  /** The planner's estimate of the matches: EXPLAIN only, no rows read. */
  private async estimate(
    base: SelectQueryBuilder<Ticket>,
  ): Promise<{ total: number; estimated: true }> {
    const [sql, params] = base.clone().select('1').getQueryAndParameters();
    const plan: Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }> =
      await this.txHost.tx.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return { total: Math.round(plan[0]['QUERY PLAN'][0].Plan['Plan Rows']), estimated: true };
  }

  /**
   * A customer's tickets, newest first, and how many they have. The total is counted without the
   * joins the page needs (getManyAndCount would count DISTINCT ids over both joins).
   */
  async listForRequester(
    requesterId: string,
    statuses: TicketStatus[] | undefined,
    page: { page: number; limit: number },
  ): Promise<[Ticket[], number]> {
    const base = this.repo
      .createQueryBuilder('t')
      .where('t.requester_id = :requesterId AND t.deleted_at IS NULL', { requesterId });
    if (statuses?.length) base.andWhere('t.status IN (:...statuses)', { statuses });
    const items = await this.withListPeople(base.clone())
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .offset(offsetOf(page))
      .limit(page.limit)
      .getMany();
    // A page that is not full, and not past the end, already says how many there are.
    const offset = offsetOf(page);
    const total =
      items.length > 0 && items.length < page.limit ? offset + items.length : await base.getCount();
    return [items, total];
  }

  countForRequester(requesterId: string): Promise<number> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.requester_id = :requesterId AND t.deleted_at IS NULL', { requesterId })
      .getCount();
  }

  /**
   * A list row's requester and assignee: only what list items show of them. Hydrating two whole
   * users (and parsing their timestamps) per row was a visible share of the inbox's CPU profile.
   */
  private withListPeople(query: SelectQueryBuilder<Ticket>): SelectQueryBuilder<Ticket> {
    return query
      .leftJoin('t.requester', 'requester')
      .leftJoin('t.assignee', 'assignee')
      .addSelect(LIST_PERSON_COLUMNS.map((column) => `requester.${column}`))
      .addSelect(LIST_PERSON_COLUMNS.map((column) => `assignee.${column}`));
  }

  private withPeople(): SelectQueryBuilder<Ticket> {
    return this.repo
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.requester', 'requester')
      .leftJoinAndSelect('t.assignee', 'assignee');
  }

  /**
   * The columns a ticket reads and writes (the access token hash is never read back; the counts
   * are computed by reads, never written, and a write's RETURNING leaves them as they were).
   */
  private get columns(): ColumnMetadata[] {
    return this.repo.metadata.columns.filter(
      (column) => column.isSelect && !column.isVirtualProperty,
    );
  }

  /** The property itself: TypeORM's getEntityValue would prefer a stale relation's id. */
  private valueOf(ticket: Ticket, column: ColumnMetadata): unknown {
    return (ticket as unknown as TicketRow)[column.propertyName];
  }

  private persistentValue(ticket: Ticket, column: ColumnMetadata): unknown {
    const value: unknown = this.txHost.tx.connection.driver.preparePersistentValue(
      this.valueOf(ticket, column),
      column,
    );
    return value === undefined ? null : value;
  }

  /** Sets every column of `ticket` from a `RETURNING *` row, and remembers them. */
  private hydrate(ticket: Ticket, row: TicketRow): Ticket {
    const driver = this.txHost.tx.connection.driver;
    for (const column of this.columns) {
      (ticket as unknown as TicketRow)[column.propertyName] = driver.prepareHydratedValue(
        row[column.databaseName],
        column,
      );
    }
    return this.remember(ticket)!;
  }

  private remember(ticket: Ticket | null): Ticket | null {
    if (ticket) {
      persisted.set(
        ticket,
        new Map(
          this.columns.map((column) => [
            column.propertyName,
            comparable(this.valueOf(ticket, column)),
          ]),
        ),
      );
    }
    return ticket;
  }
}
