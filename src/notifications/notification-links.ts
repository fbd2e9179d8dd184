import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';

/**
 * The addresses emails link to, in one place: the customer portal and the staff app are served
 * under PUBLIC_URL (`/portal/…` and `/admin/…`).
 */
@Injectable()
export class NotificationLinks {
  constructor(private readonly config: AppConfig) {}

  /** The magic-link landing page. */
  signIn(token: string): string {
    return `${this.config.publicUrl}/portal/sign-in?token=${encodeURIComponent(token)}`;
  }

  /**
   * A customer's view of a ticket; with its access token it opens without signing in. The token
   * rides in the fragment (`#token=…`), which browsers never send to a server, so it stays out of
   * proxy and access logs and Referer headers; the portal reads it from `location.hash` and sends
   * it as X-Ticket-Token. (Links sent before used `?token=`; the portal still reads that too.)
   */
  portalTicket(ticketId: string, accessToken?: string): string {
    const base = `${this.config.publicUrl}/portal/tickets/${encodeURIComponent(ticketId)}`;
    return accessToken ? `${base}#token=${encodeURIComponent(accessToken)}` : base;
  }

  /** The staff app's view of a ticket. */
  staffTicket(ticketId: string): string {
    return `${this.config.publicUrl}/admin/tickets/${encodeURIComponent(ticketId)}`;
  }
}
