import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt, uuidPipe, uuidPipeFor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { CreateNoteDto, NoteListResponse, NoteResponse, toNoteResponse } from './dto/note.dto';
import { NotesService } from './notes.service';

@ApiTags('internal notes')
@Controller('api/v1/admin/tickets/:id/notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @Endpoint({
    operationId: 'createNote',
    summary: 'Add an internal note',
    access: access.roles('support'),
    audit: 'ticket.note.create',
    problems: [404, 422],
  })
  @CreatedAt('/api/v1/admin/tickets/:id/notes/{id}')
  @ApiCreatedResponse({ type: NoteResponse })
  async create(
    @Param('id', uuidPipe) id: string,
    @Body() body: CreateNoteDto,
    @CurrentActor() actor: Actor,
  ): Promise<NoteResponse> {
    return toNoteResponse(await this.notes.add(actor, id, body.body));
  }

  @Get()
  @Endpoint({
    operationId: 'listNotes',
    summary: "A ticket's internal notes",
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: NoteListResponse })
  async list(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<NoteListResponse> {
    return { items: (await this.notes.list(actor, id)).map(toNoteResponse) };
  }

  @Delete(':noteId')
  @Endpoint({
    operationId: 'deleteNote',
    summary: 'Delete an internal note',
    access: access.roles('support'),
    audit: 'ticket.note.delete',
    problems: [404, 422],
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (the author or an admin)' })
  async remove(
    @Param('id', uuidPipe) id: string,
    @Param('noteId', uuidPipeFor('note_id')) noteId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.notes.remove(actor, id, noteId);
  }
}
