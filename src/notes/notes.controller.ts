import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ApiProblems, CreatedAt, uuidPipe, uuidPipeFor } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { CreateNoteDto, NoteListResponse, NoteResponse, toNoteResponse } from './dto/note.dto';
import { NotesService } from './notes.service';

@ApiTags('internal notes')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id/notes')
@Roles('support')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @CreatedAt('/api/v1/admin/tickets/:id/notes/{id}')
  @Audited('ticket.note.create')
  @ApiCreatedResponse({ type: NoteResponse })
  @ApiProblems(401, 403, 404, 422)
  async create(
    @Param('id', uuidPipe) id: string,
    @Body() body: CreateNoteDto,
    @CurrentActor() actor: Actor,
  ): Promise<NoteResponse> {
    return toNoteResponse(await this.notes.add(actor, id, body.body));
  }

  @Get()
  @ApiOkResponse({ type: NoteListResponse })
  @ApiProblems(401, 403, 404, 422)
  async list(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<NoteListResponse> {
    return { items: (await this.notes.list(actor, id)).map(toNoteResponse) };
  }

  @Delete(':noteId')
  @HttpCode(204)
  @Audited('ticket.note.delete')
  @ApiNoContentResponse({ description: 'Deleted (the author or an admin)' })
  @ApiProblems(401, 403, 404, 422)
  async remove(
    @Param('id', uuidPipe) id: string,
    @Param('noteId', uuidPipeFor('note_id')) noteId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.notes.remove(actor, id, noteId);
  }
}
