import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { HasNoNul, PersonRef } from '@helpdesk/common';
import type { TicketNote } from '../ticket-note.entity';

export class CreateNoteDto {
  @ApiProperty({
    example: 'Customer is on the legacy plan — check billing before refunding.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  body: string;
}

/** `note` of API.md section 6: staff-only, never part of a customer response. */
export class NoteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticket_id: string;
  @ApiProperty({ type: PersonRef }) author: PersonRef;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class NoteListResponse {
  @ApiProperty({ type: [NoteResponse] }) items: NoteResponse[];
}

export function toNoteResponse(note: TicketNote): NoteResponse {
  return {
    id: note.id,
    ticket_id: note.ticketId,
    author: { id: note.authorId, name: note.author?.name ?? 'Integration' },
    body: note.body,
    created_at: note.createdAt.toISOString(),
  };
}
