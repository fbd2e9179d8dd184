import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
import { TicketsService } from 'src/tickets/tickets.service';
import { hasStaffRole } from 'src/access/roles';
import { UsersService } from 'src/users/users.service';
import { AuditService } from '../audit.service';
import { toAuditEntryResponse } from '../dto/audit-log.response';
import { summarizeTimeline } from './timeline-summary';
import type { TimelineResponse } from './timeline.response';

/** A ticket's history: its audit entries, and a plain-text summary built from the same entries. */
@Injectable()
export class TimelineService {
  constructor(
    private readonly audit: AuditService,
    private readonly tickets: TicketsService,
    private readonly users: UsersService,
  ) {}

  async forTicket(actor: Actor, ticketId: string): Promise<TimelineResponse> {
    await this.tickets.getVisible(actor, ticketId);
    const entries = await this.audit.entriesForResource('ticket', ticketId);
    const userIds = new Set<string>();
    for (const entry of entries) {
      if (entry.actorId) userIds.add(entry.actorId);
      const assignee = entry.changes.assignee_id;
      if (Array.isArray(assignee))
        for (const id of assignee) if (typeof id === 'string') userIds.add(id);
    }
    const users = await this.users.findByIds([...userIds]);
    const seesClientDetails = hasStaffRole(actor.role, 'support_manager');
    const names = new Map(users.map((u) => [u.id, u.name]));
    return {
      summary: summarizeTimeline(
        entries.map((e) => ({
          occurredAt: e.occurredAt,
          action: e.action,
          actorType: e.actorType,
          actorId: e.actorId,
          changes: e.changes,
          details: e.details,
        })),
        names,
      ),
      events: entries.map((entry) => {
        const response = toAuditEntryResponse(entry);
        // Client IPs and user agents are personal data: like the audit log itself, only
        // support_manager and up see them; support sees the history without them.
        return seesClientDetails ? response : { ...response, ip: null, user_agent: null };
      }),
    };
  }
}
