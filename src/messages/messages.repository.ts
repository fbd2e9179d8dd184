import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { offsetOf, preparedQuery } from '@helpdesk/common';
import type { User } from 'src/users/user.entity';
import { TicketMessage } from './ticket-message.entity';

@Injectable()
export class MessagesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(TicketMessage);
  }

  /**
   * One prepared statement: `created_at` comes back from its RETURNING; the sender is the
   * caller's (no read-back).
   */
  async insert(message: TicketMessage, sender: User | null): Promise<TicketMessage> {
    const [row] = await preparedQuery(
      this.txHost.tx,
      `INSERT INTO ticket_message (id, ticket_id, sender_type, sender_id, body, created_at)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6::timestamptz, now())) RETURNING created_at`,
      [
        message.id,
        message.ticketId,
        message.senderType,
        message.senderId,
        message.body,
        message.createdAt ?? null,
      ],
    );
    message.createdAt = row.created_at as Date;
    message.sender = sender;
    return message;
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
