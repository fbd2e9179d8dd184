import { Module } from '@nestjs/common';
import { AttachmentFilesModule } from './attachment-files.module';

/** Attachments: the plumbing for now (AttachmentFilesModule); the endpoints come next. */
@Module({
  imports: [AttachmentFilesModule],
  exports: [AttachmentFilesModule],
})
export class AttachmentsModule {}
