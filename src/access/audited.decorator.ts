import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'audit.action';
export const AUDIT_EXEMPT = 'audit.exempt';

/**
 * Names the audit action a mutating route performs (API.md section 8). The audit entries
 * themselves are written from the domain events the route's unit of work records.
 */
export const Audited = (action: string): MethodDecorator => SetMetadata(AUDIT_ACTION, action);

/** A mutating route that changes nothing worth auditing. The reason is required and kept. */
export const NotAudited = (reason: string): MethodDecorator => SetMetadata(AUDIT_EXEMPT, reason);
