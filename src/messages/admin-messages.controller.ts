import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ApiProblems, CreatedAt, IfMatch, uuidPipe } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { ReplyToTicket } from 'src/ticket-workflow/reply-to-ticket';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { TicketETagInterceptor } from 'src/tickets/ticket-etag.interceptor';
import { MessagePageQueryDto, ReplyDto } from './dto/message.requests';
import { MessagePageResponse, MessageResponse, toMessageResponse } from './dto/message.response';

@ApiTags('conversation (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id')
@Roles('support')
export class AdminMessagesController {
  constructor(
    private readonly replyToTicket: ReplyToTicket,
    private readonly views: TicketViews,
  ) {}

  @Post('replies')
  @CreatedAt('/api/v1/admin/tickets/:id/messages')
  @Audited('ticket.reply')
  @UseInterceptors(TicketETagInterceptor, IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiProblems(401, 403, 404, 409, 412, 422)
  async reply(
    @Param('id', uuidPipe) id: string,
    @Body() body: ReplyDto,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<MessageResponse> {
    const message = await this.replyToTicket.run(actor, id, {
      body: body.body,
      status: body.status,
      resolutionNotes: body.resolution_notes,
      ifMatch,
    });
    return toMessageResponse(message, 'staff');
  }

  @Get('messages')
  @ApiOkResponse({ type: MessagePageResponse })
  @ApiProblems(401, 403, 404, 422)
  async list(
    @Param('id', uuidPipe) id: string,
    @Query() query: MessagePageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<MessagePageResponse> {
    return this.views.messagePage(actor, id, query, 'staff');
  }
}
