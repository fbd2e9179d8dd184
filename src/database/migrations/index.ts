import { Foundation1763712000000 } from './1763712000000-Foundation';
import { Tickets1763712100000 } from './1763712100000-Tickets';
import { Conversation1763712150000 } from './1763712150000-Conversation';
import { ManagerTools1763712600000 } from './1763712600000-ManagerTools';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [
  Foundation1763712000000,
  Tickets1763712100000,
  Conversation1763712150000,
  ManagerTools1763712600000,
];
