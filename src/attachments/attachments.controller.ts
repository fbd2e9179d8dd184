import { Controller, Delete, Get, Header, HttpCode, Param, StreamableFile } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { NoUnitOfWork, uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './file-name';
import { TEXT_PLAIN } from './file-type-policy';

@ApiTags('attachments')
@Controller('api/v1/attachments/:id')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get('content')
  @Endpoint({
    operationId: 'downloadAttachment',
    summary: "Download an attachment's bytes",
    access: access.authenticated({ ticketToken: true }),
    problems: [404, 422],
  })
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'The bytes, with the stored Content-Type and Content-Disposition: attachment',
    schema: { type: 'string', format: 'binary' },
  })
  async content(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    const { attachment, content } = await this.attachments.openContent(actor, id);
    return new StreamableFile(content, {
      // Text was checked to be UTF-8 on the way in; say so, so no browser guesses another charset.
      type:
        attachment.contentType === TEXT_PLAIN
          ? `${TEXT_PLAIN}; charset=utf-8`
          : attachment.contentType,
      disposition: contentDisposition(attachment.fileName, 'attachment'),
      length: attachment.size,
    });
  }

  @Delete()
  @Endpoint({
    operationId: 'deleteAttachment',
    summary: 'Delete an attachment',
    access: access.authenticated(),
    audit: 'ticket.attachment.delete',
    problems: [403, 404, 409, 422],
  })
  @HttpCode(204)
  @NoUnitOfWork()
  @ApiNoContentResponse({ description: 'Deleted, bytes included' })
  async remove(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.attachments.remove(actor, id);
  }
}
