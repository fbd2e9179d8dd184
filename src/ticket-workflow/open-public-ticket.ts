import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type Actor } from '@helpdesk/common';
import type { TicketChannel, TicketPriority } from 'src/tickets/ticket-enums';
import type { CustomFields } from 'src/tickets/ticket.entity';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { OpenTicket, type OpenedTicket } from './open-ticket';

export interface IntakeInput {
  name?: string;
  email?: string;
  phoneNumber?: string;
  /** Absent: the message's first line (subjectFromMessage). */
  subject?: string;
  message: string;
  category?: string;
  priority?: TicketPriority;
  customFields?: CustomFields;
  externalUserId?: string;
  /** API keys only, like externalUserId. */
  organization?: string;
}

/**
 * Public intake (API.md section 5): the contact form (anonymous), an integration (API key,
 * channel `api`), or the portal (a customer's bearer token: the ticket is theirs, whatever name
 * and email the body holds).
 */
@Injectable()
export class OpenPublicTicket {
  constructor(
    private readonly users: UsersService,
    private readonly openTicket: OpenTicket,
  ) {}

  async run(actor: Actor | null, input: IntakeInput): Promise<OpenedTicket> {
    for (const [field, value] of [
      ['external_user_id', input.externalUserId],
      ['organization', input.organization],
    ] as const) {
      if (value !== undefined && actor?.type !== 'api_key')
        throw ValidationFailedError.forField(field, `${field} may only be set by API keys`);
    }
    const requester = await this.requesterOf(actor, input);
    const channel: TicketChannel = actor?.type === 'api_key' ? 'api' : 'web';
    return this.openTicket.open({
      ...input,
      subject: input.subject ?? subjectFromMessage(input.message),
      requester,
      channel,
      tags: [],
      assignee: null,
      senderType: 'customer',
      actor,
    });
  }

  /** The portal's customer is the caller; anyone else names the requester in the body. */
  private async requesterOf(actor: Actor | null, input: IntakeInput): Promise<User> {
    if (actor?.type === 'user' && actor.role === 'customer') {
      return this.users.findById(actor.id!);
    }
    const missing = (['name', 'email'] as const).filter((field) => !input[field]);
    if (missing.length) {
      throw new ValidationFailedError(`${missing.join(' and ')} required`, {
        errors: missing.map((field) => ({ field, message: `${field} is required` })),
      });
    }
    return this.users.findOrCreateCustomer({
      email: input.email!,
      name: input.name!,
      phoneNumber: input.phoneNumber ?? null,
      externalId: input.externalUserId ?? null,
      organization: input.organization ?? null,
    });
  }
}

/** The message's first non-blank line, trimmed to a subject's 200 characters. */
export function subjectFromMessage(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const subject = [...line.trim()].slice(0, SUBJECT_MAX_LENGTH).join('').trimEnd();
  return subject || '(no subject)';
}

const SUBJECT_MAX_LENGTH = 200;
