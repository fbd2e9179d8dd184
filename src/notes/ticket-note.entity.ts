import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { User } from 'src/users/user.entity';

/** An internal note: staff-only, in its own table so no customer query can ever reach it. */
@Entity('ticket_note')
export class TicketNote {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  @Column('uuid', { nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'author_id' })
  author?: User | null;

  @Column('text')
  body: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
