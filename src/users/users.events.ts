import { DomainEvent, type FieldChanges } from '@helpdesk/common';

export class UserCreated extends DomainEvent {
  readonly type = 'user.created';
  readonly resourceType = 'user';
  override readonly changes: FieldChanges;

  constructor(
    readonly resourceId: string,
    role: string,
    email: string,
  ) {
    super();
    this.changes = { role: [null, role], email: [null, email] };
  }
}

export class UserUpdated extends DomainEvent {
  readonly type = 'user.updated';
  readonly resourceType = 'user';

  /** A password change is recorded as `password: ['***', '***']`, never the value. */
  constructor(
    readonly resourceId: string,
    override readonly changes: FieldChanges,
  ) {
    super();
  }
}
