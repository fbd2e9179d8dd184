import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { offsetOf } from '@helpdesk/common';
import { TicketMessage } from './ticket-message.entity';

@Injectable()
export class MessagesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(TicketMessage);
  }

  async insert(message: TicketMessage): Promise<TicketMessage> {
    await this.repo.insert(message);
    return (await this.findById(message.id))!;
  }

  /**
   * One statement: `findOne` with a relation pages with `SELECT DISTINCT … LIMIT 1` and then
   * reads the row again; a primary-key lookup needs neither.
   */
  findById(id: string): Promise<TicketMessage | null> {
    return this.repo
      .createQueryBuilder('m')
      .leftJoinAndSelect('m.sender', 'sender')
      .where('m.id = :id', { id })
      .getOne();
  }

  /** The whole conversation of a ticket, oldest first (tickets hold tens of messages, not thousands). */
  allForTicket(ticketId: string): Promise<TicketMessage[]> {
    return this.repo.find({
      where: { ticketId },
      relations: { sender: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  findInTicket(ticketId: string, messageId: string): Promise<TicketMessage | null> {
    return this.repo.findOne({ where: { id: messageId, ticketId } });
  }

  pageForTicket(
    ticketId: string,
    page: { page: number; limit: number },
  ): Promise<[TicketMessage[], number]> {
    return this.repo.findAndCount({
      where: { ticketId },
      relations: { sender: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: offsetOf(page),
      take: page.limit,
    });
  }
}
