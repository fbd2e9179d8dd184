import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { WeeklyWindow } from './business-calendar';

/** The one business-hours calendar: a single row, id 1 (API.md section 10). */
@Entity('business_hours')
export class BusinessHours {
  static readonly ID = 1;

  @PrimaryColumn('smallint')
  id: number = BusinessHours.ID;

  /** IANA time zone name, as the admin gave it. */
  @Column('text')
  timezone: string;

  /** Windows ordered by day and start, kept as given (adjacent windows are not merged). */
  @Column('jsonb')
  weekly: WeeklyWindow[];

  /** Local dates `YYYY-MM-DD`, sorted, without duplicates. */
  @Column('jsonb')
  holidays: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
