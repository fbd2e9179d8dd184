import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';

/** A one-time customer sign-in link; only the token's hash is stored. */
@Entity('magic_link_token')
export class MagicLinkToken {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  userId: string;

  @Column('text')
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
