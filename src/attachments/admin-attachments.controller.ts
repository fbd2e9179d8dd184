import { Controller, Get, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
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
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { AttachmentMapper } from './attachment.mapper';
import { AttachmentsService } from './attachments.service';
import { UploadAttachmentsForm } from './dto/attachment.requests';
import { AttachmentListResponse } from './dto/attachment.response';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id/attachments')
@Roles('support')
export class AdminAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly mapper: AttachmentMapper,
  ) {}

  @Post()
  @CreatedAt('/api/v1/admin/tickets/:id/attachments')
  // No request-wide transaction: the files stream into storage first (which can take minutes
  // on a slow link) and the service writes the rows in a short unit of work of its own.
  @NoUnitOfWork()
  @Audited('ticket.attachment.create')
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentsForm })
  @ApiCreatedResponse({ type: AttachmentListResponse })
  @ApiProblems(400, 401, 403, 404, 413, 415, 422)
  async upload(
    @Param('id', uuidPipe) id: string,
    @Req() request: FastifyRequest,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const saved = await this.attachments.upload(actor, id, request, 'staff');
    return { items: this.mapper.toResponses(saved, 'staff') };
  }

  @Get()
  @ApiOkResponse({ type: AttachmentListResponse })
  @ApiProblems(401, 403, 404, 422)
  async list(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentListResponse> {
    const items = await this.attachments.listForStaff(actor, id);
    return { items: this.mapper.toResponses(items, 'staff') };
  }
}
