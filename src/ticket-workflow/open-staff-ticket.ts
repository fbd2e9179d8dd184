import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type Actor } from '@helpdesk/common';
import type { TicketChannel, TicketPriority } from 'src/tickets/ticket-enums';
import { refusalOf } from 'src/tickets/ticket-policy';
import type { CustomFields, Ticket } from 'src/tickets/ticket.entity';
import { isStaffRole } from 'src/access/roles';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { OpenTicket } from './open-ticket';

export interface StaffCreateInput {
  requesterEmail: string;
  requesterName?: string;
  subject: string;
  message: string;
  priority?: TicketPriority;
  category?: string;
  tags?: string[];
  channel?: TicketChannel;
  assigneeId?: string | null;
  customFields?: CustomFields;
}

/** An agent opens a ticket for a requester (phone, email forwarded by hand, …). */
@Injectable()
export class OpenStaffTicket {
  constructor(
    private readonly users: UsersService,
    private readonly openTicket: OpenTicket,
  ) {}

  async run(actor: Actor, input: StaffCreateInput): Promise<Ticket> {
    const assignee = input.assigneeId
      ? await assignableStaff(this.users, actor, input.assigneeId)
      : null;
    const requester = await this.users.findOrCreateCustomer({
      email: input.requesterEmail,
      name: input.requesterName ?? input.requesterEmail.split('@')[0],
    });
    const { ticket } = await this.openTicket.open({
      ...input,
      requester,
      channel: input.channel ?? 'phone',
      tags: input.tags ?? [],
      assignee,
      senderType: 'agent',
      actor,
    });
    return ticket;
  }
}

/**
 * The assignee asked for: an active staff user (422 otherwise), whom this caller may assign
 * (the policy's `assign` row: support may only take tickets themselves).
 */
export async function assignableStaff(
  users: UsersService,
  actor: Actor,
  assigneeId: string,
  ticket?: Ticket,
): Promise<User> {
  const assignee = await users.findByIdOrNull(assigneeId);
  if (!assignee || !assignee.isActive || !isStaffRole(assignee.role)) {
    throw ValidationFailedError.forField('assignee_id', 'assignee_id must be an active staff user');
  }
  // A new ticket is nobody's yet: only the who-may-assign rule can refuse.
  const refusal = refusalOf('assign_to', actor, ticket ?? NEW_TICKET, { assigneeId });
  if (refusal) throw refusal;
  return assignee;
}

const NEW_TICKET = {
  id: 'new',
  requesterId: '',
  deletedAt: null,
  status: 'open',
  assigneeId: null,
} as const;
