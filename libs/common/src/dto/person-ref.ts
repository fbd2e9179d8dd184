import { ApiProperty } from '@nestjs/swagger';

/** A person as responses name one: `{id, name}` (id null where the audience may not know it). */
export class PersonRef {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
}
