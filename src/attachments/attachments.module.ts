import { Module, type OnModuleInit } from '@nestjs/common';
import { MessagesModule } from 'src/messages/messages.module';
import { MessagesService } from 'src/messages/messages.service';
import { TicketDetailRegistry } from 'src/tickets/ticket-detail.registry';
import { TicketsModule } from 'src/tickets/tickets.module';
import { AdminAttachmentsController } from './admin-attachments.controller';
import { AttachmentFilesModule } from './attachment-files.module';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { UploadQuotas } from './upload-quotas';
import type { AttachmentResponse } from './dto/attachment.response';
import { PortalAttachmentsController } from './portal-attachments.controller';

/**
 * Attachments (API.md section 7): the table, the upload, list, download and delete endpoints,
 * and the `attachments` of ticket detail views and of messages. The bytes themselves go through
 * AttachmentFilesModule.
 */
@Module({
  imports: [AttachmentFilesModule, TicketsModule, MessagesModule],
  controllers: [AdminAttachmentsController, PortalAttachmentsController, AttachmentsController],
  providers: [AttachmentsService, AttachmentsRepository, AttachmentMapper, UploadQuotas],
  exports: [AttachmentsService, AttachmentFilesModule],
})
export class AttachmentsModule implements OnModuleInit {
  constructor(
    private readonly registry: TicketDetailRegistry,
    private readonly messages: MessagesService,
    private readonly attachments: AttachmentsService,
    private readonly mapper: AttachmentMapper,
  ) {}

  onModuleInit(): void {
    // Customers get public attachments only: the audience picks the query, not a later filter.
    for (const audience of ['staff', 'customer'] as const) {
      this.registry.register({
        section: 'attachments',
        audiences: [audience],
        contribute: async (ticket) =>
          this.mapper.toResponses(
            await this.attachments.forTicketView(ticket.id, audience),
            audience,
          ),
      });
    }
    this.messages.registerAttachmentSource({
      forMessages: async (messageIds, audience) => {
        const byMessage = new Map<string, AttachmentResponse[]>();
        for (const attachment of await this.attachments.forMessages(messageIds, audience)) {
          const list = byMessage.get(attachment.messageId!) ?? [];
          list.push(this.mapper.toResponse(attachment, audience));
          byMessage.set(attachment.messageId!, list);
        }
        return byMessage;
      },
    });
  }
}
