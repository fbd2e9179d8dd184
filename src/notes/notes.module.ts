import { Module, type OnModuleInit } from '@nestjs/common';
import { TicketDetailRegistry } from 'src/tickets/ticket-detail.registry';
import { TicketsModule } from 'src/tickets/tickets.module';
import { toNoteResponse } from './dto/note.dto';
import { NotesController } from './notes.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

@Module({
  imports: [TicketsModule],
  controllers: [NotesController],
  providers: [NotesService, NotesRepository],
  exports: [NotesService],
})
export class NotesModule implements OnModuleInit {
  constructor(
    private readonly registry: TicketDetailRegistry,
    private readonly notes: NotesService,
  ) {}

  onModuleInit(): void {
    // Staff audience only: customer detail views never ask this contributor.
    this.registry.register({
      section: 'internal_notes',
      audiences: ['staff'],
      contribute: async (ticket) => (await this.notes.allForTicket(ticket.id)).map(toNoteResponse),
    });
  }
}
