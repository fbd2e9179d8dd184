import { DomainEvent } from '@helpdesk/common';

export class UserLoggedIn extends DomainEvent {
  readonly type = 'auth.login';
  constructor(
    readonly userId: string,
    readonly method: 'password' | 'magic_link',
  ) {
    super();
  }
}

/** A failed sign-in. The attempted email is kept for investigation; the password never is. */
export class LoginFailed extends DomainEvent {
  readonly type = 'auth.login_failed';
  constructor(
    readonly email: string,
    readonly userId: string | null,
    readonly reason: 'invalid_credentials' | 'account_disabled' | 'rate_limited',
  ) {
    super();
  }
}

export class ApiKeyCreated extends DomainEvent {
  readonly type = 'api_key.created';
  constructor(
    readonly apiKeyId: string,
    readonly name: string,
    readonly role: string,
  ) {
    super();
  }
}

export class ApiKeyRevoked extends DomainEvent {
  readonly type = 'api_key.revoked';
  constructor(readonly apiKeyId: string) {
    super();
  }
}
