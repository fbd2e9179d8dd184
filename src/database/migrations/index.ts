import { Foundation1763712000000 } from './1763712000000-Foundation';
import { Sla1763712400000 } from './1763712400000-Sla';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [Foundation1763712000000, Sla1763712400000];
