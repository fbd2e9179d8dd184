import { randomToken, sha256Hex } from '@helpdesk/common';

const PREFIX = 'tt_';

/** A one-ticket access token: shown once to the requester, only its hash is stored. */
export function newTicketToken(): { token: string; hash: string } {
  const token = randomToken(32, PREFIX);
  return { token, hash: sha256Hex(token) };
}

export function ticketTokenHash(token: string): string | null {
  return token.startsWith(PREFIX) && token.length < 200 ? sha256Hex(token) : null;
}
