import { HttpException } from '@nestjs/common';
import { AppError, type FieldError } from './app-error';
import { problemTypeFor, type ProblemDocument } from './problem';

export interface RenderedProblem {
  problem: ProblemDocument;
  headers: Record<string, string>;
  /** True when the error is not one we expected: it must be logged with its stack. */
  unexpected: boolean;
}

const CODES_BY_STATUS: Record<number, [string, string]> = {
  400: ['MALFORMED_REQUEST', 'Malformed request'],
  401: ['UNAUTHENTICATED', 'Authentication required'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  409: ['CONFLICT', 'Conflict'],
  412: ['PRECONDITION_FAILED', 'Precondition failed'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  422: ['VALIDATION_FAILED', 'Validation failed'],
  429: ['RATE_LIMITED', 'Too many requests'],
  503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
};

// Errors Fastify raises before a route handler runs (body parsing, multipart limits).
const FASTIFY_CODES: Record<string, number> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 400,
  FST_ERR_CTP_EMPTY_JSON_BODY: 400,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 400,
  FST_ERR_CTP_BODY_TOO_LARGE: 413,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_ERR_CTP_INVALID_TYPE: 415,
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_FILES_LIMIT: 413,
  FST_FIELDS_LIMIT: 413,
  FST_PARTS_LIMIT: 413,
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  FST_PROTO_VIOLATION: 400,
  FST_ERR_BAD_URL: 400,
  // An over-long path parameter (Fastify's maxParamLength): a path value that fails validation.
  FST_ERR_MAX_PARAM_LENGTH: 422,
};

// PostgreSQL SQLSTATEs that are the caller's fault or a transient condition, never a 500.
const PG_STATUS: Record<string, number> = {
  '22P02': 422, // invalid text representation (e.g. a malformed uuid reached SQL)
  '22001': 422, // value too long
  '22003': 422, // numeric out of range
  '22007': 422, // invalid datetime format
  '22008': 422, // datetime field overflow
  '22021': 422, // invalid byte sequence (NUL in text)
  '23502': 422, // not null violation
  '23503': 422, // foreign key violation
  '23505': 409, // unique violation
  '23514': 422, // check violation
  '40001': 409, // serialization failure
  '40P01': 409, // deadlock detected
  '55P03': 409, // lock not available
  '57014': 503, // statement timeout
  '57P01': 503, // admin shutdown
  '57P02': 503,
  '57P03': 503, // cannot connect now (shutting down, starting up)
  '53300': 503, // too many connections
};

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|MaxRetriesPerRequest|not queryable/i;

function problem(
  status: number,
  code: string,
  title: string,
  detail: string | undefined,
  requestId: string | undefined,
  errors?: FieldError[],
): ProblemDocument {
  const doc: ProblemDocument = { type: problemTypeFor(code), title, status, code };
  if (detail) doc.detail = detail;
  if (errors?.length) doc.errors = errors;
  if (requestId) doc.request_id = requestId;
  return doc;
}

function byStatus(status: number, detail: string | undefined, requestId?: string): ProblemDocument {
  const [code, title] = CODES_BY_STATUS[status] ?? CODES_BY_STATUS[status >= 500 ? 503 : 400];
  return problem(status, code, title, detail, requestId);
}

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  driverError?: { code?: unknown };
  name?: unknown;
}

/** An error reported by the PostgreSQL server itself (pg's DatabaseError: SQLSTATE + severity). */
function isPgServerError(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    typeof e.severity === 'string'
  );
}

/** Turns any thrown value into the problem document and headers the client receives. */
export function toProblem(error: unknown, requestId?: string): RenderedProblem {
  if (error instanceof AppError) {
    return {
      problem: problem(
        error.status,
        error.code,
        error.title,
        error.message,
        requestId,
        error.errors,
      ),
      headers: error.headers ?? {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? String(response.message)
        : error.message;
    if (status === 404) {
      return {
        problem: byStatus(404, 'No such resource.', requestId),
        headers: {},
        unexpected: false,
      };
    }
    return {
      problem: byStatus(status, message, requestId),
      headers: {},
      unexpected: status >= 500,
    };
  }
  const e = (typeof error === 'object' && error ? error : {}) as ErrorLike;
  if (typeof e.code === 'string' && e.code in FASTIFY_CODES) {
    const status = FASTIFY_CODES[e.code];
    const detail = typeof e.message === 'string' ? e.message : undefined;
    return { problem: byStatus(status, detail, requestId), headers: {}, unexpected: false };
  }
  // A query error comes wrapped (QueryFailedError.driverError); an error while connecting — e.g.
  // 57P03 "the database system is shutting down / starting up" — comes bare from pg's pool.
  const pgCode =
    e.name === 'QueryFailedError' && typeof e.driverError?.code === 'string'
      ? e.driverError.code
      : isPgServerError(error)
        ? (e.code as string)
        : undefined;
  const pgStatus = pgCode
    ? (PG_STATUS[pgCode] ?? (pgCode.startsWith('08') ? 503 : undefined))
    : undefined;
  if (pgStatus) {
    const status = pgStatus;
    const detail =
      status === 409
        ? 'The change conflicts with the current state; retry.'
        : status === 503
          ? 'The database is unavailable; retry later.'
          : 'A value is not valid.';
    return {
      problem: byStatus(status, detail, requestId),
      headers: status === 503 ? { 'Retry-After': '5' } : {},
      unexpected: false,
    };
  }
  // TypeORM's answer to a query on a connection the server cut mid-transaction (a restart, a
  // failover): the request met a database outage. Still logged with its stack (`unexpected`),
  // since a released runner used by mistake would look the same.
  if (
    e.name === 'QueryRunnerAlreadyReleasedError' ||
    e.name === 'QueryRunnerProviderAlreadyReleasedError'
  ) {
    return {
      problem: byStatus(503, 'The database connection was lost; retry later.', requestId),
      headers: { 'Retry-After': '5' },
      unexpected: true,
    };
  }
  if (e.name === 'EntityNotFoundError') {
    return {
      problem: byStatus(404, 'No such resource.', requestId),
      headers: {},
      unexpected: false,
    };
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (
    CONNECTION_ERROR.test(message) ||
    (typeof e.code === 'string' && CONNECTION_ERROR.test(e.code))
  ) {
    return {
      problem: byStatus(503, 'A dependency is unavailable; retry later.', requestId),
      headers: { 'Retry-After': '5' },
      unexpected: false,
    };
  }
  // Fastify and its plugins put a 4xx statusCode on client errors they raise.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { problem: byStatus(e.statusCode, message, requestId), headers: {}, unexpected: false };
  }
  return {
    problem: problem(
      500,
      'INTERNAL_ERROR',
      'Internal server error',
      'An unexpected error occurred.',
      requestId,
    ),
    headers: {},
    unexpected: true,
  };
}
