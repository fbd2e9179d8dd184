import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import type { Attachment } from './attachment.entity';
import {
  toAttachmentResponse,
  type AttachmentAudience,
  type AttachmentResponse,
} from './dto/attachment.response';

/** toAttachmentResponse with this deployment's PUBLIC_URL for `download_url`. */
@Injectable()
export class AttachmentMapper {
  constructor(private readonly config: AppConfig) {}

  toResponse(attachment: Attachment, audience: AttachmentAudience): AttachmentResponse {
    return toAttachmentResponse(attachment, audience, this.config.publicUrl);
  }

  toResponses(attachments: readonly Attachment[], audience: AttachmentAudience) {
    return attachments.map((attachment) => this.toResponse(attachment, audience));
  }
}
