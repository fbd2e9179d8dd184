import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { SelectQueryBuilder } from 'typeorm';
import { offsetOf } from '@helpdesk/common';
import { Ticket } from './ticket.entity';
import type { TicketStatus } from './ticket-status';
import { applyTicketFilters, applyTicketSort, type TicketListFilter } from './ticket-list.query';

/** Above this many matches a list's total is the planner's estimate. */
export const EXACT_COUNT_LIMIT = 10_000;

@Injectable()
export class TicketsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(Ticket);
  }

  async insert(ticket: Ticket): Promise<Ticket> {
    await this.repo.insert(ticket);
    // Read back what the database decided (number, defaults, timestamps).
    return (await this.findLiveById(ticket.id))!;
  }

  findLiveById(id: string): Promise<Ticket | null> {
    return this.repo
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.requester', 'requester')
      .leftJoinAndSelect('t.assignee', 'assignee')
      .where('t.id = :id AND t.deleted_at IS NULL', { id })
      .getOne();
  }

  /** Soft-deleted or not: for readers that describe history, such as the event feed. */
  findByIdIncludingDeleted(id: string): Promise<Ticket | null> {
    return this.repo
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.requester', 'requester')
      .leftJoinAndSelect('t.assignee', 'assignee')
      .where('t.id = :id', { id })
      .getOne();
  }

  /**
   * Locks the ticket row for the rest of the transaction, so concurrent writers apply their
   * changes one after another (no lost updates, no workflow races).
   */
  async lockLiveById(id: string): Promise<Ticket | null> {
    const locked = await this.repo
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id AND t.deleted_at IS NULL', { id })
      .getOne();
    if (!locked) return null;
    return this.findLiveById(id);
  }

  findByAccessTokenHash(
    hash: string,
  ): Promise<Pick<Ticket, 'id' | 'requesterId' | 'deletedAt'> | null> {
    return this.repo.findOne({
      select: { id: true, requesterId: true, deletedAt: true },
      where: { accessTokenHash: hash },
    });
  }

  async save(ticket: Ticket): Promise<Ticket> {
    const { requester: _requester, assignee: _assignee, ...columns } = ticket;
    await this.repo.save(Object.assign(new Ticket(), columns));
    return (await this.findLiveById(ticket.id))!;
  }

  /** Soft delete: the row stays for audit and references, and disappears from every read. */
  async markDeleted(id: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(Ticket)
      .set({ deletedAt: () => 'now()', version: () => 'version + 1', accessTokenHash: null })
      .where('id = :id', { id })
      .execute();
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
    const [items, counted] = await Promise.all([
      applyTicketSort(
        base
          .clone()
          .leftJoinAndSelect('t.requester', 'requester')
          .leftJoinAndSelect('t.assignee', 'assignee'),
        filter,
      )
        .offset(offsetOf(filter))
        .limit(filter.limit)
        .getMany(),
      this.cappedCount(base),
    ]);
    return { items, ...counted };
  }

  private async cappedCount(
    base: SelectQueryBuilder<Ticket>,
  ): Promise<{ total: number; estimated: boolean }> {
    const [sql, params] = base
      .clone()
      .select('1')
      .limit(EXACT_COUNT_LIMIT + 1)
      .getQueryAndParameters();
    const manager = this.txHost.tx;
    const rows: Array<{ n: number }> = await manager.query(
      `SELECT count(*)::int AS n FROM (${sql}) AS capped`,
      params,
    );
    const exact = rows[0].n;
    if (exact <= EXACT_COUNT_LIMIT) return { total: exact, estimated: false };
    const [countSql, countParams] = base.clone().select('1').getQueryAndParameters();
    const plan: Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }> =
      await manager.query(`EXPLAIN (FORMAT JSON) ${countSql}`, countParams);
    const estimate = Math.round(plan[0]['QUERY PLAN'][0].Plan['Plan Rows']);
    return { total: Math.max(estimate, exact), estimated: true };
  }

  async listForRequester(
    requesterId: string,
    statuses: TicketStatus[] | undefined,
    page: { page: number; limit: number },
  ): Promise<[Ticket[], number]> {
    const query = this.repo
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.requester', 'requester')
      .leftJoinAndSelect('t.assignee', 'assignee')
      .where('t.requester_id = :requesterId AND t.deleted_at IS NULL', { requesterId });
    if (statuses?.length) query.andWhere('t.status IN (:...statuses)', { statuses });
    return query
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .offset(offsetOf(page))
      .limit(page.limit)
      .getManyAndCount();
  }

  countForRequester(requesterId: string): Promise<number> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.requester_id = :requesterId AND t.deleted_at IS NULL', { requesterId })
      .getCount();
  }
}
