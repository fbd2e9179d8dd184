export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CHANNELS = ['web', 'email', 'phone', 'api', 'chat'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
