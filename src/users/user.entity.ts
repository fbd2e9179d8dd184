import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import type { Role } from 'src/access/role';

@Entity('app_user')
export class User {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text')
  role: Role;

  @Column('text', { nullable: true, select: false })
  passwordHash: string | null;

  @Column('text', { nullable: true })
  phoneNumber: string | null;

  @Column('text', { nullable: true })
  organization: string | null;

  /** The host product's own id for this customer, set by API-key integrations. */
  @Column('text', { nullable: true })
  externalId: string | null;

  @Column('boolean', { default: true })
  isActive: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
