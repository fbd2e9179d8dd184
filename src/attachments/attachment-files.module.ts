import { Module } from '@nestjs/common';
import { AttachmentIntake } from './attachment-intake';
import { FileTypePolicy } from './file-type-policy';
import { AttachmentStorage } from './storage/attachment-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';

/**
 * Attachment plumbing, free of the database and of tickets: where bytes live (AttachmentStorage,
 * local disk for now), what a file is (FileTypePolicy) and how an upload gets from the request
 * into storage (AttachmentIntake). AttachmentsModule builds the attachment table and endpoints on
 * top; this module stays on its own so the intake can be tested without the rest of the app.
 */
@Module({
  providers: [
    { provide: AttachmentStorage, useClass: LocalDiskStorage },
    FileTypePolicy,
    AttachmentIntake,
  ],
  exports: [AttachmentStorage, FileTypePolicy, AttachmentIntake],
})
export class AttachmentFilesModule {}
