import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { normalizeEmail, uuidv7 } from '@helpdesk/common';
import type { Role } from 'src/access/roles';

@Entity('app_user')
export class User {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  /** As the person typed it (shown back, used to send mail). */
  @Column('text')
  email: string;

  /** `normalizeEmail(email)`: what lookups and the unique index compare (set with `setEmail`). */
  @Column('text')
  emailNormalized: string;

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

  /** Sets the email and its normalised form together: the only way an email is assigned. */
  setEmail(email: string): void {
    this.email = email;
    this.emailNormalized = normalizeEmail(email);
  }
}
