/** The parts of MAIL_FROM the threading headers are built from. */
export interface Sender {
  /** Display name (`Helpdesk` in `Helpdesk <support@example.com>`). */
  name: string;
  /** `support` */
  local: string;
  /** `example.com`: also the right-hand side of every Message-ID we mint. */
  domain: string;
}

/** Parses `Name <local@domain>` or `local@domain`. */
export function parseSender(mailFrom: string): Sender {
  const angled = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/.exec(mailFrom);
  const address = (angled ? angled[2] : mailFrom).trim();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    throw new Error(`MAIL_FROM "${mailFrom}" has no address of the form local@domain`);
  }
  return {
    name: angled?.[1]?.trim() || 'Helpdesk',
    local: address.slice(0, at),
    domain: address.slice(at + 1).toLowerCase(),
  };
}

export interface ThreadHeaders {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  replyTo: string | null;
}

/**
 * Headers that make mail clients thread every email about one ticket, and let a future inbound
 * channel route a reply back: each email has its own stable Message-ID (the notification id, so a
 * retry is recognisably the same message); emails about a ticket all answer one virtual thread
 * root `<ticket-<id>@domain>`, and their Reply-To is `local+t<ticket id>@domain`.
 */
export function threadHeaders(
  sender: Sender,
  notificationId: string,
  ticketId: string | null,
): ThreadHeaders {
  const messageId = `<${notificationId}@${sender.domain}>`;
  if (!ticketId) return { messageId, inReplyTo: null, references: [], replyTo: null };
  const root = ticketThreadRoot(sender, ticketId);
  return {
    messageId,
    inReplyTo: root,
    references: [root],
    replyTo: `${sender.local}+t${ticketId}@${sender.domain}`,
  };
}

export function ticketThreadRoot(sender: Sender, ticketId: string): string {
  return `<ticket-${ticketId}@${sender.domain}>`;
}

/** The ticket id in a `local+t<uuid>@domain` address, for the inbound-email channel. */
export function ticketIdFromReplyAddress(address: string): string | null {
  const match = /\+t([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i.exec(address);
  return match ? match[1].toLowerCase() : null;
}
