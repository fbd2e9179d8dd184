import { Injectable } from '@nestjs/common';
import { pageOf, type Page } from '@helpdesk/common';
import type { AttachmentResponse } from 'src/attachments/dto/attachment.response';
import type { MessageAttachmentSource } from './message-attachments';
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
  private attachmentSource: MessageAttachmentSource | null = null;

  constructor(private readonly messages: MessagesRepository) {}

  registerAttachmentSource(source: MessageAttachmentSource): void {
    this.attachmentSource = source;
  }

  /** The attachments of a conversation's messages, in one query (see MessageAttachmentSource). */
  async attachmentsOf(
    messages: readonly TicketMessage[],
    audience: 'staff' | 'customer',
  ): Promise<Map<string, AttachmentResponse[]>> {
    if (!this.attachmentSource || !messages.length) return new Map();
    return this.attachmentSource.forMessages(
      messages.map((m) => m.id),
      audience,
    );
  }

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
