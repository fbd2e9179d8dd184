import { Injectable } from '@nestjs/common';
import { pageOf, type Page } from '@helpdesk/common';
import { TicketMessage, type SenderType } from './ticket-message.entity';
import { MessagesRepository } from './messages.repository';

export interface NewMessage {
  ticketId: string;
  senderType: SenderType;
  senderId: string | null;
  body: string;
}

/** Stores and reads customer-visible messages; the rules about when one may be added live with tickets. */
@Injectable()
export class MessagesService {
  constructor(private readonly messages: MessagesRepository) {}

  append(input: NewMessage): Promise<TicketMessage> {
    const message = new TicketMessage();
    message.ticketId = input.ticketId;
    message.senderType = input.senderType;
    message.senderId = input.senderId;
    message.body = input.body;
    return this.messages.insert(message);
  }

  findById(id: string): Promise<TicketMessage | null> {
    return this.messages.findById(id);
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
