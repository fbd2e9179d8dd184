import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';

/**
 * One refresh token. Tokens rotate: each use spends the row and creates its successor in the
 * same family; presenting a spent one revokes the whole family (a stolen token was replayed).
 */
@Entity('auth_session')
export class AuthSession {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  userId: string;

  @Column('uuid')
  familyId: string;

  @Column('text')
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
