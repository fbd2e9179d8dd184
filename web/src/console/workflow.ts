import type { Role, Status } from '../api/types';

// The API's status workflow (API.md section 6). The API does not publish the allowed moves of a
// ticket, so the console mirrors the table to offer only legal buttons; the API still decides.
const MOVES: Record<Status, Status[]> = {
  open: ['in_progress', 'pending', 'waiting_customer', 'resolved'],
  in_progress: ['open', 'pending', 'waiting_customer', 'resolved'],
  pending: ['open', 'in_progress', 'waiting_customer', 'resolved'],
  waiting_customer: ['open', 'in_progress', 'resolved'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export const STATUSES: Status[] = [
  'open',
  'in_progress',
  'pending',
  'waiting_customer',
  'resolved',
  'closed',
];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export function movesFrom(status: Status, role: Role): Status[] {
  const manager = role === 'support_manager' || role === 'admin';
  return MOVES[status].filter(
    (to) => manager || (to !== 'closed' && !(status === 'closed' && to === 'open')),
  );
}
