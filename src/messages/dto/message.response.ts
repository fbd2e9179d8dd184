import { ApiProperty } from '@nestjs/swagger';
import { PersonRef } from '@helpdesk/common';
import { AttachmentResponse } from 'src/attachments/dto/attachment.response';
import { SENDER_TYPES, type SenderType, type TicketMessage } from '../ticket-message.entity';

/** `message` of API.md section 6: customer-visible, so it is the same for staff and customers. */
export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticket_id: string;
  @ApiProperty({ enum: SENDER_TYPES, example: 'agent' }) sender_type: SenderType;
  @ApiProperty({ type: PersonRef }) sender: PersonRef;
  @ApiProperty({ example: 'Thanks — we are looking into it.' }) body: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({
    type: [AttachmentResponse],
    description: 'Attachments sent with this message (public ones only, for customers)',
  })
  attachments: AttachmentResponse[];
}

/**
 * Customers see an agent's display name only (API.md section 5: no staff identity beyond a
 * display name), so the `customer` audience gets `sender.id = null` for agents.
 */
export function toMessageResponse(
  message: TicketMessage,
  audience: 'staff' | 'customer',
  attachments: AttachmentResponse[] = [],
): MessageResponse {
  return {
    id: message.id,
    ticket_id: message.ticketId,
    sender_type: message.senderType,
    sender: {
      id: audience === 'customer' && message.senderType !== 'customer' ? null : message.senderId,
      name: message.sender?.name ?? (message.senderType === 'system' ? 'System' : 'Unknown'),
    },
    body: message.body,
    created_at: message.createdAt.toISOString(),
    attachments,
  };
}

export class MessagePageResponse {
  @ApiProperty({ type: [MessageResponse] }) items: MessageResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total_pages: number;
}
