import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ApiProblems, CreatedAt, uuidPipe } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, CustomerOrTicketToken } from 'src/access/access.decorators';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { AddCustomerMessage } from 'src/ticket-workflow/add-customer-message';
import { CustomerMessageDto } from './dto/message.requests';
import { MessageResponse, toMessageResponse } from './dto/message.response';

@ApiTags('portal')
@ApiBearerAuth()
@ApiSecurity('ticket-token')
@Controller('api/v1/portal/tickets/:id/messages')
export class PortalMessagesController {
  constructor(private readonly addCustomerMessage: AddCustomerMessage) {}

  @Post()
  @CreatedAt('/api/v1/portal/tickets/:id')
  @CustomerOrTicketToken()
  @Audited('ticket.customer_reply')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiProblems(401, 404, 409, 422)
  async create(
    @Param('id', uuidPipe) id: string,
    @Body() body: CustomerMessageDto,
    @CurrentActor() actor: Actor,
  ): Promise<MessageResponse> {
    return toMessageResponse(await this.addCustomerMessage.run(actor, id, body.body), 'customer');
  }
}
