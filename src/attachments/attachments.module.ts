import { Module } from '@nestjs/common';
import { MessagesModule } from 'src/messages/messages.module';
import { TicketsModule } from 'src/tickets/tickets.module';
import { AdminAttachmentsController } from './admin-attachments.controller';
import { AttachmentFilesModule } from './attachment-files.module';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { UploadQuotas } from './upload-quotas';
import { PortalAttachmentsController } from './portal-attachments.controller';

/**
 * Attachments (API.md section 7): the table, the upload, list, download and delete endpoints,
 * (src/ticket-workflow/ticket-views.ts joins them to ticket and message views). The bytes themselves go through
 * AttachmentFilesModule.
 */
@Module({
  imports: [AttachmentFilesModule, TicketsModule, MessagesModule],
  controllers: [AdminAttachmentsController, PortalAttachmentsController, AttachmentsController],
  providers: [AttachmentsService, AttachmentsRepository, AttachmentMapper, UploadQuotas],
  exports: [AttachmentsService, AttachmentMapper, AttachmentFilesModule],
})
export class AttachmentsModule {}
