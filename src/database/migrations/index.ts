import { Foundation1763712000000 } from './1763712000000-Foundation';
import { Tickets1763712100000 } from './1763712100000-Tickets';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [Foundation1763712000000, Tickets1763712100000];
