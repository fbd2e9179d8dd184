import { DomainEvent } from '@helpdesk/common';

export class UserLoggedIn extends DomainEvent {
  readonly type = 'auth.login';
  readonly resourceType = 'user';
  override readonly details: { method: 'password' | 'magic_link' };

  constructor(
    readonly resourceId: string,
    method: 'password' | 'magic_link',
  ) {
    super();
    this.details = { method };
  }
}

/** A failed sign-in. The attempted email is kept for investigation; the password never is. */
export class LoginFailed extends DomainEvent {
  readonly type = 'auth.login_failed';
  readonly resourceType = 'user';
  override readonly details: {
    email: string;
    reason: 'invalid_credentials' | 'account_disabled' | 'rate_limited';
  };

  constructor(
    readonly resourceId: string | null,
    email: string,
    reason: 'invalid_credentials' | 'account_disabled' | 'rate_limited',
  ) {
    super();
    this.details = { email, reason };
  }
}

export class ApiKeyCreated extends DomainEvent {
  readonly type = 'api_key.created';
  readonly resourceType = 'api_key';
  override readonly details: { name: string; role: string };

  constructor(
    readonly resourceId: string,
    name: string,
    role: string,
  ) {
    super();
    this.details = { name, role };
  }
}

export class ApiKeyRevoked extends DomainEvent {
  readonly type = 'api_key.revoked';
  readonly resourceType = 'api_key';

  constructor(readonly resourceId: string) {
    super();
  }
}
