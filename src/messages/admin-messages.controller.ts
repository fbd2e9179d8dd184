import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt, IfMatch, uuidPipe } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { TicketETagInterceptor } from 'src/tickets/ticket-etag.interceptor';
import { TicketsService } from 'src/tickets/tickets.service';
import { ConversationService } from './conversation.service';
import { MessagePageQueryDto, ReplyDto } from './dto/message.requests';
import { MessagePageResponse, MessageResponse, toMessageResponse } from './dto/message.response';
import { MessagesService } from './messages.service';

@ApiTags('conversation (staff)')
@Controller('api/v1/admin/tickets/:id')
export class AdminMessagesController {
  constructor(
    private readonly conversation: ConversationService,
    private readonly messages: MessagesService,
    private readonly tickets: TicketsService,
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
    const message = await this.conversation.reply(actor, id, body.body, {
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
    await this.tickets.getVisible(actor, id);
    const page = await this.messages.pageForTicket(id, query);
    const attachments = await this.messages.attachmentsOf(page.items, 'staff');
    return {
      ...page,
      items: page.items.map((m) => toMessageResponse(m, 'staff', attachments.get(m.id))),
    };
  }
}
