import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { offsetOf } from '@helpdesk/common';
import { Ticket } from './ticket.entity';
import type { TicketStatus } from './ticket-status';
import { applyTicketFilters, applyTicketSort, type TicketListFilter } from './ticket-list.query';

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

  async list(filter: TicketListFilter): Promise<[Ticket[], number]> {
    const base = applyTicketFilters(this.repo.createQueryBuilder('t'), filter);
    const total = await base.clone().getCount();
    const items = await applyTicketSort(
      base
        .leftJoinAndSelect('t.requester', 'requester')
        .leftJoinAndSelect('t.assignee', 'assignee'),
      filter,
    )
      .offset(offsetOf(filter))
      .limit(filter.limit)
      .getMany();
    return [items, total];
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
