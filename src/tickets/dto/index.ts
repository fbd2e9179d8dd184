export * from './ticket-query.dto';
export * from './ticket.requests';
export * from './ticket.responses';
export * from './tag-list';
