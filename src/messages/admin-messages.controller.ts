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
import { TicketETagInterceptor } from 'src/tickets/ticket-etag.interceptor';
import { TicketsService } from 'src/tickets/tickets.service';
import { ConversationService } from './conversation.service';
import { MessagePageQueryDto, ReplyDto } from './dto/message.requests';
import { MessagePageResponse, MessageResponse, toMessageResponse } from './dto/message.response';
import { MessagesService } from './messages.service';

@ApiTags('conversation (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id')
@Roles('support')
export class AdminMessagesController {
  constructor(
    private readonly conversation: ConversationService,
    private readonly messages: MessagesService,
    private readonly tickets: TicketsService,
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
    const message = await this.conversation.reply(actor, id, body.body, {
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
    await this.tickets.getVisible(actor, id);
    const page = await this.messages.pageForTicket(id, query);
    const attachments = await this.messages.attachmentsOf(page.items, 'staff');
    return {
      ...page,
      items: page.items.map((m) => toMessageResponse(m, 'staff', attachments.get(m.id))),
    };
  }
}
