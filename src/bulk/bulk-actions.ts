import type { TicketPriority } from 'src/tickets/ticket-enums';
import type { TicketStatus } from 'src/tickets/ticket-status';

export const BULK_ACTIONS = [
  'status',
  'assign',
  'priority',
  'add_tags',
  'remove_tags',
  'escalate',
  'delete',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const MAX_BULK_TICKETS = 500;

/** One bulk call: the same change for every ticket (API.md section 6). */
export type BulkRequest = { ticketIds: string[] } & (
  | { action: 'status'; status: TicketStatus; resolutionNotes?: string }
  | { action: 'assign'; assigneeId: string | null }
  | { action: 'priority'; priority: TicketPriority }
  | { action: 'add_tags' | 'remove_tags'; tags: string[] }
  | { action: 'escalate'; reason: string; notifyEmail?: string }
  | { action: 'delete' }
);

export interface BulkFailure {
  id: string;
  code: string;
  message: string;
}

export interface BulkResult {
  succeeded: string[];
  failed: BulkFailure[];
}
