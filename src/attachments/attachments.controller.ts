import { Controller, Delete, Get, Header, HttpCode, Param, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, NoUnitOfWork, uuidPipe, type Actor } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Authenticated, CurrentActor } from 'src/access/access.decorators';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './file-name';
import { TEXT_PLAIN } from './file-type-policy';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1/attachments/:id')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get('content')
  // Staff, customers (public attachments of their own tickets) and the ticket's token (API.md
  // section 2); the service answers 404 to anyone else.
  @Authenticated({ ticketToken: true })
  @ApiSecurity('ticket-token')
  // Served from our origin, a file must never run as a page: no sniffing, no inline display,
  // and if a browser renders it anyway, a sandbox without scripts, plugins or same-origin access.
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'The bytes, with the stored Content-Type and Content-Disposition: attachment',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(401, 404, 422)
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
  @HttpCode(204)
  // The service commits the row's deletion in its own unit of work and removes the bytes only
  // after that commit, which a request-wide transaction would not let it see.
  @NoUnitOfWork()
  @Authenticated()
  @Audited('ticket.attachment.delete')
  @ApiNoContentResponse({ description: 'Deleted, bytes included' })
  @ApiProblems(401, 403, 404, 409, 422)
  async remove(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.attachments.remove(actor, id);
  }
}
