import { Module, type OnModuleInit } from '@nestjs/common';
import { TicketDetailRegistry } from 'src/tickets/ticket-detail.registry';
import { TicketsModule } from 'src/tickets/tickets.module';
import { TicketsService } from 'src/tickets/tickets.service';
import { AdminMessagesController } from './admin-messages.controller';
import { ConversationService } from './conversation.service';
import { toMessageResponse } from './dto/message.response';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { PortalMessagesController } from './portal-messages.controller';

@Module({
  imports: [TicketsModule],
  controllers: [AdminMessagesController, PortalMessagesController],
  providers: [MessagesService, MessagesRepository, ConversationService],
  exports: [MessagesService],
})
export class MessagesModule implements OnModuleInit {
  constructor(
    private readonly tickets: TicketsService,
    private readonly registry: TicketDetailRegistry,
    private readonly messages: MessagesService,
  ) {}

  onModuleInit(): void {
    // A ticket is opened with its first message, in the same transaction.
    this.tickets.registerHooks({
      onCreated: async (ticket, opening) => {
        await this.messages.append({
          ticketId: ticket.id,
          senderType: opening.senderType,
          senderId: opening.senderId,
          body: opening.body,
        });
      },
    });
    for (const audience of ['staff', 'customer'] as const) {
      this.registry.register({
        section: 'messages',
        audiences: [audience],
        contribute: async (ticket) => {
          const messages = await this.messages.allForTicket(ticket.id);
          const attachments = await this.messages.attachmentsOf(messages, audience);
          return messages.map((m) => toMessageResponse(m, audience, attachments.get(m.id)));
        },
      });
    }
  }
}
