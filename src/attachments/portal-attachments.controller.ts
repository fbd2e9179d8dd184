import { Controller, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  AcceptsMultipart,
  ApiProblems,
  CreatedAt,
  NoUnitOfWork,
  uuidPipe,
  type Actor,
} from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, CustomerOrTicketToken } from 'src/access/access.decorators';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsService } from './attachments.service';
import { PortalUploadAttachmentsForm } from './dto/attachment.requests';
import { AttachmentListResponse } from './dto/attachment.response';

@ApiTags('portal')
@ApiBearerAuth()
@ApiSecurity('ticket-token')
@Controller('api/v1/portal/tickets/:id/attachments')
export class PortalAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly mapper: AttachmentMapper,
  ) {}

  @Post()
  @CreatedAt('/api/v1/portal/tickets/:id')
  @CustomerOrTicketToken()
  // No request-wide transaction while the files stream in; the service writes the rows in a
  // short unit of work once they are stored.
  @NoUnitOfWork()
  @Audited('ticket.attachment.create')
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PortalUploadAttachmentsForm })
  @ApiCreatedResponse({ type: AttachmentListResponse })
  @ApiProblems(400, 401, 404, 409, 413, 415, 422, 429)
  async upload(
    @Param('id', uuidPipe) id: string,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const saved = await this.attachments.upload(actor, id, request, 'customer');
    return { items: this.mapper.toResponses(saved, 'customer') };
  }
}
