import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt, IfMatch, uuidPipe } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { ReplyToTicket } from 'src/ticket-workflow/reply-to-ticket';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { TicketETagInterceptor } from 'src/tickets/ticket-etag.interceptor';
import { MessagePageQueryDto, ReplyDto } from './dto/message.requests';
import { MessagePageResponse, MessageResponse, toMessageResponse } from './dto/message.response';

@ApiTags('conversation (staff)')
@Controller('api/v1/admin/tickets/:id')
export class AdminMessagesController {
  constructor(
    private readonly replyToTicket: ReplyToTicket,
    private readonly views: TicketViews,
  ) {}

  @Post('replies')
  @Endpoint({
    operationId: 'replyToTicket',
    summary: 'Reply to the customer',
    access: access.roles('support'),
    audit: 'ticket.reply',
    problems: [404, 409, 412, 422],
  })
  @CreatedAt('/api/v1/admin/tickets/:id/messages')
  @UseInterceptors(TicketETagInterceptor, IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: MessageResponse })
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
  @Endpoint({
    operationId: 'listTicketMessages',
    summary: "A ticket's conversation",
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: MessagePageResponse })
  async list(
    @Param('id', uuidPipe) id: string,
    @Query() query: MessagePageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<MessagePageResponse> {
    return this.views.messagePage(actor, id, query, 'staff');
  }
}
