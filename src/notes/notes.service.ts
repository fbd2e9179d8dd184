import { Injectable } from '@nestjs/common';
import { DomainEvents, ForbiddenError, NotFoundError, type Actor } from '@helpdesk/common';
import { hasStaffRole } from 'src/access/roles';
import { TicketsService } from 'src/tickets/tickets.service';
import { TicketNoteCreated, TicketNoteDeleted } from './notes.events';
import { NotesRepository } from './notes.repository';
import { TicketNote } from './ticket-note.entity';
import { snapshotOf, withSnapshot } from 'src/tickets/ticket-snapshot';

@Injectable()
export class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly tickets: TicketsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async add(actor: Actor, ticketId: string, body: string): Promise<TicketNote> {
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    const note = new TicketNote();
    note.ticketId = ticketId;
    note.authorId = actor.type === 'user' ? actor.id : null;
    note.body = body;
    const saved = await this.notes.insert(note);
    this.domainEvents.record(
      withSnapshot(new TicketNoteCreated(ticketId, saved.id, body.length), snapshotOf(ticket)),
    );
    return saved;
  }

  async list(actor: Actor, ticketId: string): Promise<TicketNote[]> {
    await this.tickets.getVisible(actor, ticketId);
    return this.notes.allForTicket(ticketId);
  }

  /** Internal notes for a ticket already checked by the caller (detail views). */
  allForTicket(ticketId: string): Promise<TicketNote[]> {
    return this.notes.allForTicket(ticketId);
  }

  /** The author or an admin may delete a note; anyone else on staff gets 403. */
  async remove(actor: Actor, ticketId: string, noteId: string): Promise<void> {
    await this.tickets.lockForChange(actor, ticketId);
    const note = await this.notes.findForTicket(ticketId, noteId);
    if (!note) throw new NotFoundError(`No note ${noteId} on ticket ${ticketId}.`);
    const isAuthor = actor.type === 'user' && actor.id === note.authorId;
    if (!isAuthor && !hasStaffRole(actor.role, 'admin')) {
      throw new ForbiddenError('Only the note’s author or an admin may delete it.');
    }
    await this.notes.delete(noteId);
    this.domainEvents.record(new TicketNoteDeleted(ticketId, noteId, note.body.length));
  }
}
