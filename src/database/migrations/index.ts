import { Foundation1763712000000 } from './1763712000000-Foundation';
import { Notifications1763712300000 } from './1763712300000-Notifications';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [Foundation1763712000000, Notifications1763712300000];
