export const AUDIT_ACTION = 'audit.action';
export const AUDIT_EXEMPT = 'audit.exempt';

// Set by `@Endpoint({ audit })` (the audit action a mutating route performs, API.md section 8;
// the entries themselves are written from the domain events of the route's unit of work) or
// `@Endpoint({ notAudited })` (why it changes nothing worth auditing; the reason is kept).
