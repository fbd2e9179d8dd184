import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { HasNoNul, PageQueryDto } from '@helpdesk/common';
import { TICKET_STATUSES, type TicketStatus } from 'src/tickets/ticket-status';

export class ReplyDto {
  @ApiProperty({
    example: 'Thanks for waiting — I have reset your password.',
    minLength: 1,
    maxLength: 10000,
  })
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  body: string;

  @ApiPropertyOptional({
    enum: TICKET_STATUSES,
    description:
      'Move the ticket here (a legal move); default: waiting_customer from open/in_progress/pending',
  })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({
    maxLength: 10000,
    description: 'With status=resolved; defaults to the reply body',
  })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  resolution_notes?: string;
}

export class CustomerMessageDto {
  @ApiProperty({ example: 'It works again, thank you!', minLength: 1, maxLength: 10000 })
  @IsString()
  @Length(1, 10000)
  @HasNoNul()
  body: string;
}

export class MessagePageQueryDto extends PageQueryDto {}
