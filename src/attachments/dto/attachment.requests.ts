import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTACHMENT_VISIBILITIES } from '../attachment-visibility';
import { MAX_FILES_PER_UPLOAD } from '../multipart-options';

/**
 * The multipart/form-data body of an upload, for the OpenAPI document. The form is read as a
 * stream by AttachmentIntake (never through the JSON body pipe), and its two text fields are
 * checked by AttachmentsService.
 */
export class UploadAttachmentsForm {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    minItems: 1,
    maxItems: MAX_FILES_PER_UPLOAD,
    description:
      'One to ten files, each at most MAX_ATTACHMENT_BYTES; the type is decided by the bytes',
  })
  files: unknown[];

  @ApiPropertyOptional({ enum: ATTACHMENT_VISIBILITIES, default: 'public', example: 'internal' })
  visibility?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '019a4f6e-9a0b-7c1d-8e2f-3a4b5c6d7e8f',
    description: 'A message of this ticket the files belong to',
  })
  message_id?: string;
}

/** The portal form: always public, so `visibility` is accepted and ignored. */
export class PortalUploadAttachmentsForm {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    minItems: 1,
    maxItems: MAX_FILES_PER_UPLOAD,
  })
  files: unknown[];

  @ApiPropertyOptional({ description: 'Ignored: customer uploads are always public' })
  visibility?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '019a4f6e-9a0b-7c1d-8e2f-3a4b5c6d7e8f',
    description: 'One of your own messages on this ticket',
  })
  message_id?: string;
}
