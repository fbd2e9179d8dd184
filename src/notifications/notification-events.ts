/**
 * The emails the helpdesk sends (API.md section 9) and the data each one's templates receive.
 * Each event has `<event>.subject.hbs`, `<event>.text.hbs` and `<event>.html.hbs` in `templates/`.
 * Field names are snake_case because deployers read them when they override a template.
 */
export interface NotificationTemplateData {
  /** To the customer: receipt with the ticket number and a portal link carrying the access token. */
  ticket_created: { customer_name: string; portal_url: string };
  /** To the customer: an agent's public reply (never an internal note). */
  agent_reply: {
    customer_name: string;
    agent_name: string;
    reply_text: string;
    portal_url: string;
  };
  /** To the customer: the resolution notes, with a rating link. */
  ticket_resolved: {
    customer_name: string;
    resolution_notes: string;
    rating_url: string;
    portal_url: string;
  };
  /** To the new assignee: a link to the ticket in the staff app. */
  ticket_assigned: {
    assignee_name: string;
    assigned_by_name: string | null;
    priority: string;
    ticket_url: string;
  };
  /** To the assignee and every support_manager: 75 % of an SLA target has elapsed. */
  sla_at_risk: {
    recipient_name: string;
    target: 'first_response' | 'resolution';
    due_at: Date | string;
    priority: string;
    ticket_url: string;
  };
  /** To the assignee and every support_manager: an SLA target was missed. */
  sla_breached: {
    recipient_name: string;
    target: 'first_response' | 'resolution';
    due_at: Date | string;
    priority: string;
    ticket_url: string;
  };
  /** To the support_managers and the escalation's `notify_email`. */
  escalation: {
    recipient_name: string | null;
    escalated_by_name: string;
    reason: string;
    priority: string;
    ticket_url: string;
  };
  /** To the customer: a one-time sign-in link. */
  magic_link: { name: string; sign_in_url: string; expires_in_minutes: number };
}

export type NotificationEvent = keyof NotificationTemplateData;

export const NOTIFICATION_EVENTS = [
  'ticket_created',
  'agent_reply',
  'ticket_resolved',
  'ticket_assigned',
  'sla_at_risk',
  'sla_breached',
  'escalation',
  'magic_link',
] as const satisfies readonly NotificationEvent[];

/**
 * Emails whose bodies carry a credential (a sign-in link, a ticket's access token). Their bodies
 * are blanked once delivered, so the outbox does not keep usable secrets at rest.
 */
export const CREDENTIAL_BEARING_EVENTS: ReadonlySet<NotificationEvent> = new Set([
  'magic_link',
  'ticket_created',
]);

// Compile-time check: the list above names every event of NotificationTemplateData.
type Unlisted = Exclude<NotificationEvent, (typeof NOTIFICATION_EVENTS)[number]>;
const _everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
