import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SlaPriority } from './sla-rules';

/** What one priority promises (API.md section 10). One row per priority, seeded by the migration. */
@Entity('sla_policy')
export class SlaPolicy {
  @PrimaryColumn('text')
  priority: SlaPriority;

  @Column('integer')
  firstResponseMinutes: number;

  @Column('integer')
  resolutionMinutes: number;

  /** True: the minutes count only inside business hours. */
  @Column('boolean')
  businessHours: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
