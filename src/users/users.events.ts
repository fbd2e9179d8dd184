import { DomainEvent } from '@helpdesk/common';

export type FieldChanges = Record<string, [unknown, unknown]>;

export class UserCreated extends DomainEvent {
  readonly type = 'user.created';
  constructor(
    readonly userId: string,
    readonly role: string,
  ) {
    super();
  }
}

export class UserUpdated extends DomainEvent {
  readonly type = 'user.updated';
  /** Changed fields; a password change is recorded as `password: ['***', '***']`, never the value. */
  constructor(
    readonly userId: string,
    readonly changes: FieldChanges,
  ) {
    super();
  }
}
