import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { TicketNote } from './ticket-note.entity';

@Injectable()
export class NotesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(TicketNote);
  }

  async insert(note: TicketNote): Promise<TicketNote> {
    await this.repo.insert(note);
    return (await this.repo.findOne({ where: { id: note.id }, relations: { author: true } }))!;
  }

  allForTicket(ticketId: string): Promise<TicketNote[]> {
    return this.repo.find({
      where: { ticketId },
      relations: { author: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  findForTicket(ticketId: string, noteId: string): Promise<TicketNote | null> {
    return this.repo.findOne({ where: { id: noteId, ticketId } });
  }

  async delete(noteId: string): Promise<void> {
    await this.repo.delete({ id: noteId });
  }
}
