import { Module } from '@nestjs/common';
import { AttachmentIntake } from './attachment-intake';
import { FileTypePolicy } from './file-type-policy';
import { AttachmentStorage } from './storage/attachment-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';

/**
 * Attachment plumbing: where bytes live (AttachmentStorage, local disk for now), what a file is
 * (FileTypePolicy) and how an upload gets from the request into storage (AttachmentIntake). The
 * attachment table and its endpoints come with the tickets module.
 */
@Module({
  providers: [
    { provide: AttachmentStorage, useClass: LocalDiskStorage },
    FileTypePolicy,
    AttachmentIntake,
  ],
  exports: [AttachmentStorage, FileTypePolicy, AttachmentIntake],
})
export class AttachmentsModule {}
