import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import type { Role } from 'src/access/roles';

/** An integration credential. The key itself is shown once; only its sha256 is kept. */
@Entity('api_key')
export class ApiKey {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('text')
  name: string;

  @Column('text')
  role: Role;

  @Column('text')
  keyHash: string;

  /** The first characters of the key, so an admin can tell keys apart without the secret. */
  @Column('text')
  keyPrefix: string;

  @Column('uuid', { nullable: true })
  createdById: string | null;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
