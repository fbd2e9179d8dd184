import { Controller, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AcceptsMultipart, CreatedAt, NoUnitOfWork, uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsService } from './attachments.service';
import { PortalUploadAttachmentsForm } from './dto/attachment.requests';
import { AttachmentListResponse } from './dto/attachment.response';

@ApiTags('portal')
@Controller('api/v1/portal/tickets/:id/attachments')
export class PortalAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly mapper: AttachmentMapper,
  ) {}

  @Post()
  @Endpoint({
    operationId: 'uploadPortalTicketAttachments',
    summary: "Upload attachments to one's own ticket",
    access: access.customerOrTicketToken(),
    audit: 'ticket.attachment.create',
    problems: [400, 404, 409, 413, 415, 422, 429],
  })
  @CreatedAt('/api/v1/portal/tickets/:id')
  @NoUnitOfWork()
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PortalUploadAttachmentsForm })
  @ApiCreatedResponse({ type: AttachmentListResponse })
  async upload(
    @Param('id', uuidPipe) id: string,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const saved = await this.attachments.upload(actor, id, request, 'customer');
    return { items: this.mapper.toResponses(saved, 'customer') };
  }
}
