import { ApiProperty } from '@nestjs/swagger';
import { PersonRef } from '@helpdesk/common';
import { ATTACHMENT_VISIBILITIES, type AttachmentVisibility } from '../attachment-visibility';
import type { Attachment } from '../attachment.entity';

export type AttachmentAudience = 'staff' | 'customer';

/** `attachment` of API.md section 7. */
export class AttachmentResponse {
  @ApiProperty({ format: 'uuid', example: '019a4f6e-8d1c-7b2a-9e3f-4c5d6e7f8a9b' }) id: string;
  @ApiProperty({ format: 'uuid', example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11' })
  ticket_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  message_id: string | null;
  @ApiProperty({ example: 'error-screenshot.png' }) file_name: string;
  @ApiProperty({ example: 'image/png', description: 'Decided by the file’s bytes' })
  content_type: string;
  @ApiProperty({ example: 48213, description: 'Bytes' }) size: number;
  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description: 'Lower-case hex sha256 of the bytes',
  })
  sha256: string;
  @ApiProperty({ enum: ATTACHMENT_VISIBILITIES, example: 'public' })
  visibility: AttachmentVisibility;
  @ApiProperty({
    type: PersonRef,
    description: 'For customers, staff uploaders show a display name only (id null)',
  })
  uploaded_by: PersonRef;
  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' }) created_at: string;
  @ApiProperty({
    format: 'uri',
    example:
      'https://helpdesk.example.com/api/v1/attachments/019a4f6e-8d1c-7b2a-9e3f-4c5d6e7f8a9b/content',
  })
  download_url: string;
}

export class AttachmentListResponse {
  @ApiProperty({ type: [AttachmentResponse] }) items: AttachmentResponse[];
}

/**
 * One mapper for both audiences. Customers see staff and integrations as a display name only
 * (API.md section 5), like message senders; their own uploads keep their own id. Callers never
 * hand internal attachments to the customer audience (the repository filters them out); the
 * check here is a backstop that fails loudly rather than leaking.
 */
export function toAttachmentResponse(
  attachment: Attachment,
  audience: AttachmentAudience,
  publicUrl: string,
): AttachmentResponse {
  if (audience === 'customer' && attachment.visibility !== 'public') {
    throw new Error(`internal attachment ${attachment.id} mapped for a customer`);
  }
  const uploader = attachment.uploadedBy;
  const uploaderIsCustomer = uploader?.role === 'customer';
  return {
    id: attachment.id,
    ticket_id: attachment.ticketId,
    message_id: attachment.messageId,
    file_name: attachment.fileName,
    content_type: attachment.contentType,
    size: attachment.size,
    sha256: attachment.sha256,
    visibility: attachment.visibility,
    uploaded_by: {
      id: audience === 'customer' && !uploaderIsCustomer ? null : attachment.uploadedById,
      // An integration's key name is configuration, not something customers need to read.
      name:
        uploader?.name ??
        (audience === 'customer' ? 'Support' : (attachment.uploadedByName ?? 'Integration')),
    },
    created_at: attachment.createdAt.toISOString(),
    download_url: downloadUrl(publicUrl, attachment.id),
  };
}

export function downloadUrl(publicUrl: string, attachmentId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/attachments/${attachmentId}/content`;
}
