import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, NoUnitOfWork, type Actor } from '@helpdesk/common';
import { NotAudited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import {
  BULK_PARAMETER_TYPES,
  BulkActionDto,
  BulkResultResponse,
  toBulkRequest,
} from './dto/bulk-action.dto';
import { BulkChangeTickets } from 'src/ticket-workflow/bulk-change-tickets';

@ApiTags('tickets (staff)')
@ApiBearerAuth()
@ApiExtraModels(...BULK_PARAMETER_TYPES)
@Controller('api/v1/admin/tickets/bulk')
@Roles('support_manager')
export class BulkActionsController {
  constructor(private readonly bulk: BulkChangeTickets) {}

  /**
   * The same change for up to 500 tickets, each obeying the single-ticket rules; answers which
   * succeeded and why the others failed.
   */
  @Post()
  @HttpCode(200)
  // One unit of work per ticket (opened by the service), not one for the call: a request-wide
  // transaction would let one ticket's failure roll back every other ticket's change.
  @NoUnitOfWork()
  @NotAudited(
    'audited per ticket: each ticket’s change records the same events (and so the same audit entries) as its single-ticket route',
  )
  @ApiOkResponse({ type: BulkResultResponse })
  @ApiProblems(401, 403, 422)
  async run(
    @Body() body: BulkActionDto,
    @CurrentActor() actor: Actor,
  ): Promise<BulkResultResponse> {
    return this.bulk.run(actor, toBulkRequest(body));
  }
}
