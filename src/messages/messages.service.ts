import { Injectable } from '@nestjs/common';
import { pageOf, type Page } from '@helpdesk/common';
import type { User } from 'src/users/user.entity';
import { TicketMessage, type SenderType } from './ticket-message.entity';
import { MessagesRepository } from './messages.repository';

export interface NewMessage {
  ticketId: string;
  senderType: SenderType;
  senderId: string | null;
  /** Who sent it, as the use case already knows them (no read-back after the insert). */
  sender: Pick<User, 'id' | 'name'> | null;
  body: string;
  /** By default the transaction's start, as the column's default. */
  createdAt?: Date;
}

/**
 * Stores and reads customer-visible messages. When one may be added is the use cases' to say
 * (src/ticket-workflow/); attachments of messages are joined by the views there.
 */
@Injectable()
export class MessagesService {
  constructor(private readonly messages: MessagesRepository) {}

  /** A message of this ticket, or null (also when it belongs to another ticket). */
  findInTicket(ticketId: string, messageId: string): Promise<TicketMessage | null> {
    return this.messages.findInTicket(ticketId, messageId);
  }

  append(input: NewMessage): Promise<TicketMessage> {
    const message = new TicketMessage();
    message.ticketId = input.ticketId;
    message.senderType = input.senderType;
    message.senderId = input.senderId;
    message.body = input.body;
    if (input.createdAt) message.createdAt = input.createdAt;
    return this.messages.insert(message, input.sender as User | null);
  }

  allForTicket(ticketId: string): Promise<TicketMessage[]> {
    return this.messages.allForTicket(ticketId);
  }

  async pageForTicket(
    ticketId: string,
    page: { page: number; limit: number },
  ): Promise<Page<TicketMessage>> {
    const [items, total] = await this.messages.pageForTicket(ticketId, page);
    return pageOf(items, total, page);
  }
}
