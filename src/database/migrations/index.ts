import { Foundation1763712000000 } from './1763712000000-Foundation';
import { AuditLog1763712200000 } from './1763712200000-AuditLog';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [Foundation1763712000000, AuditLog1763712200000];
