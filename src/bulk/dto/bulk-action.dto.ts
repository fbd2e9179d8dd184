import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { HasNoNul, ValidationFailedError } from '@helpdesk/common';
import { EscalateTicketDto } from 'src/escalations/dto/escalation.dto';
import { IsTagList } from 'src/tickets/dto';
import { TICKET_PRIORITIES, type TicketPriority } from 'src/tickets/ticket-enums';
import { TICKET_STATUSES, type TicketStatus } from 'src/tickets/ticket-status';
import {
  BULK_ACTIONS,
  MAX_BULK_TICKETS,
  type BulkAction,
  type BulkFailure,
  type BulkRequest,
} from '../bulk-actions';

/** `parameters` of `action: "status"`: as `PATCH /admin/tickets/{id}/status`. */
export class BulkStatusParameters {
  @ApiProperty({ enum: TICKET_STATUSES, example: 'resolved' })
  @IsIn(TICKET_STATUSES)
  status: TicketStatus;

  @ApiPropertyOptional({
    example: 'Fixed by the 2.4.1 release.',
    maxLength: 10000,
    description: 'Required when moving to resolved',
  })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  resolution_notes?: string;
}

/** `parameters` of `action: "assign"`: as `PATCH /admin/tickets/{id}/assignee` (null unassigns). */
export class BulkAssignParameters {
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assignee_id must be a UUID or null' })
  assignee_id: string | null;
}

/** `parameters` of `action: "priority"`. */
export class BulkPriorityParameters {
  @ApiProperty({ enum: TICKET_PRIORITIES, example: 'high' })
  @IsIn(TICKET_PRIORITIES)
  priority: TicketPriority;
}

/** `parameters` of `action: "add_tags"` / `"remove_tags"`. */
export class BulkTagsParameters {
  @ApiProperty({ type: [String], example: ['outage'], minItems: 1, maxItems: 20 })
  @IsTagList({ minItems: 1 })
  tags: string[];
}

/** `parameters` of `action: "escalate"`: as `POST /admin/tickets/{id}/escalate`. */
export class BulkEscalateParameters extends EscalateTicketDto {}

type ParameterAction = Exclude<BulkAction, 'delete'>;

const PARAMETERS_BY_ACTION: Record<ParameterAction, new () => object> = {
  status: BulkStatusParameters,
  assign: BulkAssignParameters,
  priority: BulkPriorityParameters,
  add_tags: BulkTagsParameters,
  remove_tags: BulkTagsParameters,
  escalate: BulkEscalateParameters,
};

export const BULK_PARAMETER_TYPES = [...new Set(Object.values(PARAMETERS_BY_ACTION))];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// `parameters` is validated as the class its `action` names, so a field that does not fit the
// action (or a missing one) is a 422 for the whole call, like any other bad body. `delete` takes
// none: class-validator cannot validate an empty class (forbidUnknownValues), so it is checked here.
const asParametersOfAction = ({ value, obj }: { value: unknown; obj: { action?: unknown } }) => {
  if (obj.action === 'delete') {
    if (value === undefined || (isPlainObject(value) && Object.keys(value).length === 0))
      return undefined;
    throw ValidationFailedError.forField('parameters', 'delete takes no parameters');
  }
  const type =
    typeof obj.action === 'string' && Object.hasOwn(PARAMETERS_BY_ACTION, obj.action)
      ? PARAMETERS_BY_ACTION[obj.action as ParameterAction]
      : undefined;
  return type && isPlainObject(value) ? plainToInstance(type, value) : value;
};

const uniqueIds = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? [...new Set(value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id)))]
    : value;

/** Body of `POST /admin/tickets/bulk` (API.md section 6). */
export class BulkActionDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BULK_TICKETS,
    description: 'Duplicates count once',
    example: ['0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'],
  })
  @Transform(uniqueIds)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_TICKETS)
  @IsUUID('all', { each: true, message: 'ticket_ids must hold UUIDs' })
  ticket_ids: string[];

  @ApiProperty({ enum: BULK_ACTIONS, example: 'status' })
  @IsIn(BULK_ACTIONS)
  action: BulkAction;

  @ApiPropertyOptional({
    description:
      'Per action: status → {status, resolution_notes?}; assign → {assignee_id}; priority → {priority}; add_tags/remove_tags → {tags}; escalate → {reason, notify_email?}; delete → none',
    oneOf: BULK_PARAMETER_TYPES.map((type) => ({ $ref: getSchemaPath(type) })),
    example: { status: 'resolved', resolution_notes: 'Fixed by the 2.4.1 release.' },
  })
  @Transform(asParametersOfAction)
  @ValidateIf((body: BulkActionDto) => body.action !== 'delete')
  @IsObject({ message: 'parameters must be an object fitting the action' })
  @ValidateNested()
  parameters?: object;
}

export class BulkFailureResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INVALID_STATUS_TRANSITION' }) code: string;
  @ApiProperty({ example: "A ticket in status 'closed' cannot move to 'pending'." })
  message: string;
}

export class BulkResultResponse {
  @ApiProperty({ type: [String], format: 'uuid' }) succeeded: string[];
  @ApiProperty({ type: [BulkFailureResponse] }) failed: BulkFailure[];
}

/** The validated body as the service's request (parameters already fit the action). */
export function toBulkRequest(body: BulkActionDto): BulkRequest {
  const ticketIds = body.ticket_ids;
  switch (body.action) {
    case 'status': {
      const p = body.parameters as BulkStatusParameters;
      return { ticketIds, action: 'status', status: p.status, resolutionNotes: p.resolution_notes };
    }
    case 'assign':
      return {
        ticketIds,
        action: 'assign',
        assigneeId: (body.parameters as BulkAssignParameters).assignee_id,
      };
    case 'priority':
      return {
        ticketIds,
        action: 'priority',
        priority: (body.parameters as BulkPriorityParameters).priority,
      };
    case 'add_tags':
    case 'remove_tags':
      return {
        ticketIds,
        action: body.action,
        tags: (body.parameters as BulkTagsParameters).tags,
      };
    case 'escalate': {
      const p = body.parameters as BulkEscalateParameters;
      return { ticketIds, action: 'escalate', reason: p.reason, notifyEmail: p.notify_email };
    }
    case 'delete':
      return { ticketIds, action: 'delete' };
  }
}
