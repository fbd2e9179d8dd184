import { Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AcceptsMultipart, CreatedAt, NoUnitOfWork, uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsService } from './attachments.service';
import { UploadAttachmentsForm } from './dto/attachment.requests';
import { AttachmentListResponse } from './dto/attachment.response';

@ApiTags('attachments')
@Controller('api/v1/admin/tickets/:id/attachments')
export class AdminAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly mapper: AttachmentMapper,
  ) {}

  @Post()
  @Endpoint({
    operationId: 'uploadTicketAttachments',
    summary: 'Upload attachments to a ticket (staff)',
    access: access.roles('support'),
    audit: 'ticket.attachment.create',
    problems: [400, 404, 413, 415, 422],
  })
  @CreatedAt('/api/v1/admin/tickets/:id/attachments')
  @NoUnitOfWork()
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentsForm })
  @ApiCreatedResponse({ type: AttachmentListResponse })
  async upload(
    @Param('id', uuidPipe) id: string,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const saved = await this.attachments.upload(actor, id, request, 'staff');
    return { items: this.mapper.toResponses(saved, 'staff') };
  }

  @Get()
  @Endpoint({
    operationId: 'listTicketAttachments',
    summary: "A ticket's attachments",
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: AttachmentListResponse })
  async list(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const items = await this.attachments.listForStaff(actor, id);
    return { items: this.mapper.toResponses(items, 'staff') };
  }
}
