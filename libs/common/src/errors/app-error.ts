/** One field-level validation failure, as rendered in a problem document's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Base of every error a service may throw. Services never throw HTTP exceptions: they throw
 * these, and the global problem filter maps `status` + `code` onto an RFC 9457 document.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  abstract readonly title: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    detail?: string,
    options?: { errors?: FieldError[]; headers?: Record<string, string> },
  ) {
    super(detail);
    this.name = new.target.name;
    this.errors = options?.errors;
    this.headers = options?.headers;
  }
}

export class MalformedRequestError extends AppError {
  readonly status = 400;
  readonly code = 'MALFORMED_REQUEST';
  readonly title = 'Malformed request';
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
  readonly title = 'Authentication required';
}

export class InvalidCredentialsError extends AppError {
  readonly status = 401;
  readonly code = 'INVALID_CREDENTIALS';
  readonly title = 'Invalid credentials';
}

export class TokenExpiredError extends AppError {
  readonly status = 401;
  readonly code = 'TOKEN_EXPIRED';
  readonly title = 'Token expired';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
  readonly title = 'Forbidden';
}

export class AccountDisabledError extends AppError {
  readonly status = 403;
  readonly code = 'ACCOUNT_DISABLED';
  readonly title = 'Account disabled';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  readonly title = 'Not found';
}

/** The path exists, but not with this method; `Allow` lists the ones it has (RFC 9110). */
export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly title = 'Method not allowed';

  constructor(method: string, allowed: string[]) {
    super(`${method} is not allowed here; use ${allowed.join(', ')}.`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string = 'CONFLICT';
  readonly title: string = 'Conflict';
}

export class EmailTakenError extends ConflictError {
  override readonly code = 'EMAIL_TAKEN';
  override readonly title = 'Email already taken';
}

export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
  readonly title = 'Precondition failed';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly title = 'Unsupported media type';
}

export class ValidationFailedError extends AppError {
  readonly status = 422;
  readonly code = 'VALIDATION_FAILED';
  readonly title = 'Validation failed';

  static forField(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError(message, { errors: [{ field, message }] });
  }
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  readonly title = 'Too many requests';

  constructor(retryAfterSeconds: number, detail = 'Too many requests; retry later.') {
    super(detail, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly title = 'Service unavailable';
}
