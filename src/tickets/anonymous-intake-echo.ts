import type { CustomerTicketResponse } from './dto';

/** What an anonymous contact-form caller sent about themselves. */
export interface SentByCaller {
  name?: string;
  email?: string;
  phone_number?: string;
}

/**
 * The 201 to an anonymous caller reveals nothing about the people already on file: anyone can
 * type anyone's email. The requester is echoed from this request (never the stored name or phone
 * number of an existing customer), no agent is named, and message senders carry no account id
 * (the same id on two submissions would tell that the address already has an account).
 */
export function echoOnlyWhatWasSent(
  ticket: CustomerTicketResponse,
  sent: SentByCaller,
): CustomerTicketResponse {
  const name = sent.name ?? '';
  return {
    ...ticket,
    requester: { name, email: sent.email ?? '', phone_number: sent.phone_number ?? null },
    agent_name: null,
    messages: (ticket.messages ?? []).map((message) => ({
      ...message,
      sender: { id: null, name: message.sender_type === 'customer' ? name : message.sender.name },
    })),
  };
}
