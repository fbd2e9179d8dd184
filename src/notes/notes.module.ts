import { Module } from '@nestjs/common';
import { TicketsModule } from 'src/tickets/tickets.module';
import { NotesController } from './notes.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

/** Internal notes (staff only): their routes, and the section the staff detail view shows. */
@Module({
  imports: [TicketsModule],
  controllers: [NotesController],
  providers: [NotesService, NotesRepository],
  exports: [NotesService],
})
export class NotesModule {}
