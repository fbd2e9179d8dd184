export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CHANNELS = ['web', 'email', 'phone', 'api', 'chat'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** A ticket's stored SLA state (docs/sla.md): kept by the SLA module, read by lists and views. */
export const TICKET_SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type TicketSlaState = (typeof TICKET_SLA_STATES)[number];
