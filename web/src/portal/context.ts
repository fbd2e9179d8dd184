import { createApi } from '../api/client';
import { Session } from '../api/session';

export const session = new Session('helpdesk.portal');
export const api = createApi(session);

const tokenKey = (ticketId: string) => `helpdesk.ticket-token.${ticketId}`;

/**
 * A ticket's access token from an email link: `#token=` (kept out of logs and Referer) or the
 * older `?token=`. It is remembered for this tab and removed from the address bar at once.
 */
export function takeLinkToken(): string | null {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const query = new URLSearchParams(window.location.search);
  const token = hash.get('token') ?? query.get('token');
  if (token) {
    query.delete('token');
    const search = query.toString();
    window.history.replaceState(null, '', window.location.pathname + (search ? `?${search}` : ''));
  }
  return token;
}

export function rememberTicketToken(ticketId: string, token: string): void {
  sessionStorage.setItem(tokenKey(ticketId), token);
}

export function ticketToken(ticketId: string): string | null {
  return sessionStorage.getItem(tokenKey(ticketId));
}

/** Headers for a ticket request: the signed-in customer's bearer, else the link's ticket token. */
export function ticketHeaders(ticketId: string): Record<string, string> {
  const token = session.user ? null : ticketToken(ticketId);
  return token ? { 'x-ticket-token': token } : {};
}
