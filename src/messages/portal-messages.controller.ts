import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt, uuidPipe } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { AddCustomerMessage } from 'src/ticket-workflow/add-customer-message';
import { CustomerMessageDto } from './dto/message.requests';
import { MessageResponse, toMessageResponse } from './dto/message.response';

@ApiTags('portal')
@Controller('api/v1/portal/tickets/:id/messages')
export class PortalMessagesController {
  constructor(private readonly addCustomerMessage: AddCustomerMessage) {}

  @Post()
  @Endpoint({
    operationId: 'createPortalMessage',
    summary: "Write a message on one's own ticket",
    access: access.customerOrTicketToken(),
    audit: 'ticket.customer_reply',
    problems: [404, 409, 422],
  })
  @CreatedAt('/api/v1/portal/tickets/:id')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: MessageResponse })
  async create(
    @Param('id', uuidPipe) id: string,
    @Body() body: CustomerMessageDto,
    @CurrentActor() actor: Actor,
  ): Promise<MessageResponse> {
    return toMessageResponse(await this.addCustomerMessage.run(actor, id, body.body), 'customer');
  }
}
