import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { User } from 'src/users/user.entity';

export const SENDER_TYPES = ['customer', 'agent', 'system'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

/** A customer-visible message in a ticket's conversation. Internal notes live elsewhere. */
@Entity('ticket_message')
export class TicketMessage {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  @Column('text')
  senderType: SenderType;

  @Column('uuid', { nullable: true })
  senderId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'sender_id' })
  sender?: User | null;

  @Column('text')
  body: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
