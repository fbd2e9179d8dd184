import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { User } from 'src/users/user.entity';

/** One change of a ticket's assignee, kept forever (API.md section 6, assignment history). */
@Entity('ticket_assignment')
export class TicketAssignment {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  @Column('uuid', { nullable: true })
  fromId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'from_id' })
  from?: User | null;

  @Column('uuid', { nullable: true })
  toId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'to_id' })
  to?: User | null;

  /** The user who made the change; null for API keys and the system. */
  @Column('uuid', { nullable: true })
  byId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'by_id' })
  by?: User | null;

  /** Display name of a non-user actor (an API key's name, "System"). */
  @Column('text', { nullable: true })
  byName: string | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;
}
