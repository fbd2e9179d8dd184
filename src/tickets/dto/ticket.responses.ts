import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttachmentResponse } from 'src/attachments/dto/attachment.response';
import { EscalationResponse } from 'src/escalations/dto/escalation.dto';
import { MessageResponse } from 'src/messages/dto/message.response';
import { TICKET_CHANNELS, TICKET_PRIORITIES } from '../ticket-enums';
import { TICKET_STATUSES } from '../ticket-status';

export class CustomerRequester {
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ type: String, nullable: true, example: '+44 20 7946 0000' }) phone_number:
    string | null;
}

export class RatingResponse {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 }) score: number;
  @ApiProperty({ type: String, nullable: true, example: 'Quick and kind.' }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) rated_at: string;
}

/**
 * What a customer may see of a ticket (API.md section 5). A separate class from StaffTicket on
 * purpose: nothing internal (notes, internal attachments, staff identities, audit, SLA, tags,
 * custom fields, escalation, version) can be added to it by accident.
 */
export class CustomerTicketResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1042 }) number: number;
  @ApiProperty({ example: 'Cannot sign in to the app' }) subject: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority: string;
  @ApiProperty({ type: String, nullable: true, example: 'account' }) category: string | null;
  @ApiProperty({ enum: TICKET_CHANNELS }) channel: string;
  @ApiProperty({ type: CustomerRequester }) requester: CustomerRequester;
  @ApiProperty({ type: String, nullable: true, description: 'Written for the customer' })
  resolution_notes: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Grace',
    description: 'Display name of the agent handling it',
  })
  agent_name: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) resolved_at: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) closed_at: string | null;
  @ApiPropertyOptional({ type: [MessageResponse] }) messages?: MessageResponse[];
  @ApiPropertyOptional({ type: [AttachmentResponse], description: 'Public attachments only' })
  attachments?: AttachmentResponse[];
  @ApiPropertyOptional({ type: RatingResponse, nullable: true }) rating?: RatingResponse | null;
}

export class CreatedTicketResponse {
  @ApiProperty({ type: CustomerTicketResponse }) ticket: CustomerTicketResponse;
  @ApiProperty({
    example: 'tt_Zm9vYmFy…',
    description: 'Opens this one ticket via X-Ticket-Token. Shown once.',
  })
  access_token: string;
}

export class CustomerTicketPageResponse {
  @ApiProperty({ type: [CustomerTicketResponse] }) items: CustomerTicketResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total_pages: number;
}

export class StaffRequester {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ type: String, nullable: true }) phone_number: string | null;
  @ApiProperty({ type: String, nullable: true }) organization: string | null;
}

export class DetailedRequester extends StaffRequester {
  @ApiProperty({ example: 3, description: 'Live tickets this requester has opened' })
  ticket_count: number;
}

export class Assignee {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Grace Hopper' }) name: string;
  @ApiProperty({ example: 'grace@example.com' }) email: string;
}

export class SlaSummary {
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) first_response_due_at:
    string | null;
  @ApiProperty() first_response_breached: boolean;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) resolution_due_at:
    string | null;
  @ApiProperty() resolution_breached: boolean;
  @ApiProperty({ description: 'The resolution clock is paused (waiting_customer)' })
  paused: boolean;
  @ApiProperty({ enum: ['ok', 'at_risk', 'breached'] }) state: 'ok' | 'at_risk' | 'breached';
}

/** StaffTicket of API.md section 6. */
/** An actor as the event feed names one; an anonymous contact form is its customer's account. */
export class TicketCreator {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] }) type: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) id: string | null;
}

export class StaffTicketResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1042 }) number: number;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority: string;
  @ApiProperty({ type: String, nullable: true }) category: string | null;
  @ApiProperty({ enum: TICKET_CHANNELS }) channel: string;
  @ApiProperty({ type: StaffRequester }) requester: StaffRequester;
  @ApiProperty({ type: Assignee, nullable: true }) assignee: Assignee | null;
  @ApiProperty({ type: [String], example: ['refund'] }) tags: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) custom_fields: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: String, nullable: true }) resolution_notes: string | null;
  @ApiProperty() escalated: boolean;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) first_responded_at:
    string | null;
  @ApiProperty({ type: SlaSummary }) sla: SlaSummary;
  @ApiProperty({ example: 3, description: 'For If-Match; also sent as the ETag header' })
  version: number;
  @ApiProperty({ example: 2, description: 'Customer-visible messages after the opening one' })
  reply_count: number;
  @ApiProperty({ example: 1, description: 'Attachments, internal ones included' })
  attachment_count: number;
  @ApiProperty({
    type: TicketCreator,
    nullable: true,
    description: 'Who opened it (null for tickets older than this field with no record of it)',
  })
  created_by: TicketCreator | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) resolved_at: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) closed_at: string | null;
}

export class StaffTicketPageResponse {
  @ApiProperty({ type: [StaffTicketResponse] }) items: StaffTicketResponse[];
  @ApiProperty({ description: 'Exact up to 10,000 matches; above that the planner’s estimate' })
  total: number;
  @ApiProperty({ description: 'True when total is an estimate (more than 10,000 matches)' })
  total_is_estimate: boolean;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total_pages: number;
}

export class StaffTicketDetailResponse extends StaffTicketResponse {
  @ApiProperty({ type: DetailedRequester }) declare requester: DetailedRequester;
  @ApiProperty({ type: [MessageResponse] }) messages: MessageResponse[];
  // Sections other modules' records contribute (composed by ticket-workflow/ticket-views.ts):
  // named by schema in the document; src/openapi.ts puts the schemas in it.
  @ApiProperty({ type: 'array', items: { $ref: '#/components/schemas/NoteResponse' } })
  internal_notes: unknown[];
  @ApiProperty({ type: [AttachmentResponse], description: 'Public and internal' })
  attachments: AttachmentResponse[];
  @ApiPropertyOptional({ type: RatingResponse, nullable: true }) rating?: RatingResponse | null;
  @ApiPropertyOptional({
    nullable: true,
    allOf: [{ $ref: '#/components/schemas/EscalationResponse' }],
    description: 'Null unless the ticket was escalated',
  })
  escalation?: EscalationResponse | null;
}
