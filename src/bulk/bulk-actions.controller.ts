import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NoUnitOfWork, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import {
  BULK_PARAMETER_TYPES,
  BulkActionDto,
  BulkResultResponse,
  toBulkRequest,
} from './dto/bulk-action.dto';
import { BulkChangeTickets } from 'src/ticket-workflow/bulk-change-tickets';

@ApiTags('tickets (staff)')
@ApiExtraModels(...BULK_PARAMETER_TYPES)
@Controller('api/v1/admin/tickets/bulk')
export class BulkActionsController {
  constructor(private readonly bulk: BulkChangeTickets) {}

  /**
   * The same change for up to 500 tickets, each obeying the single-ticket rules; answers which
   * succeeded and why the others failed.
   */
  @Post()
  @Endpoint({
    operationId: 'bulkUpdateTickets',
    summary: 'Apply one action to many tickets',
    access: access.roles('support_manager'),
    notAudited:
      'audited per ticket: each ticket’s change records the same events (and so the same audit entries) as its single-ticket route',
    problems: [422],
  })
  @HttpCode(200)
  @NoUnitOfWork()
  @ApiOkResponse({ type: BulkResultResponse })
  async run(
    @Body() body: BulkActionDto,
    @CurrentActor() actor: Actor,
  ): Promise<BulkResultResponse> {
    return this.bulk.run(actor, toBulkRequest(body));
  }
}
