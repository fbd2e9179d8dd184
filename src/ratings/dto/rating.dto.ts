import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { HasNoNul } from '@helpdesk/common';
import { RatingResponse } from 'src/tickets/dto';
import { TICKET_STATUSES } from 'src/tickets/ticket-status';
import type { TicketRating } from '../ticket-rating.entity';

/** Body of `POST /portal/tickets/{id}/rating` and `POST /ratings/{token}` (API.md section 5). */
export class RateTicketDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5, description: 'An integer from 1 to 5' })
  @IsInt({ message: 'score must be an integer from 1 to 5' })
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({
    example: 'Quick and kind.',
    maxLength: 2000,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  @HasNoNul()
  comment?: string | null;
}

export class RatedTicketSummary {
  @ApiProperty({ example: 1042 }) number: number;
  @ApiProperty({ example: 'Cannot sign in to the app' }) subject: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) resolved_at: string | null;
}

/** What a rating page needs to show for a signed link. */
export class RatingLinkResponse {
  @ApiProperty({ type: RatedTicketSummary }) ticket: RatedTicketSummary;
  @ApiProperty({ type: RatingResponse, nullable: true }) rating: RatingResponse | null;
  @ApiProperty({ description: 'False until the ticket is resolved or closed (again)' })
  can_rate: boolean;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

export function toRatingResponse(rating: TicketRating): RatingResponse {
  return {
    score: rating.score,
    comment: rating.comment,
    rated_at: rating.ratedAt.toISOString(),
  };
}
