import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';

export const RATING_SOURCES = ['portal', 'link'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];

/** A customer's CSAT rating of a resolved or closed ticket: one per ticket, replaced on re-rating. */
@Entity('ticket_rating')
export class TicketRating {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  @Column('smallint')
  score: number;

  @Column('text', { nullable: true })
  comment: string | null;

  /** The customer account that rated, when the caller was signed in (null for tokens and links). */
  @Column('uuid', { nullable: true })
  ratedById: string | null;

  /** Where the rating came from: the portal route or the signed link of the resolution email. */
  @Column('text')
  source: RatingSource;

  /** When the current score was given (a re-rating moves it). */
  @Column('timestamptz')
  ratedAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
