import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class ProblemFieldError {
  @ApiProperty({ example: 'status' }) field: string;
  @ApiProperty({ example: 'status must be one of the following values: open, …' }) message: string;
}

/** The RFC 9457 error document (API.md section 1), for the OpenAPI schema. */
export class ProblemResponse {
  @ApiProperty({ example: 'https://helpdesk.dev/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 422 }) status: number;
  @ApiPropertyOptional({
    example: 'subject: subject must be shorter than or equal to 200 characters',
  })
  detail?: string;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiPropertyOptional({ type: [ProblemFieldError] }) errors?: ProblemFieldError[];
  @ApiPropertyOptional({ example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11' }) request_id?: string;
}

/** The problem statuses this API answers (API.md section 1). */
export type ProblemStatus =
  400 | 401 | 403 | 404 | 405 | 409 | 410 | 412 | 413 | 415 | 422 | 429 | 503;

export const PROBLEM_SCHEMA_REF = '#/components/schemas/ProblemResponse';

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Malformed request (MALFORMED_REQUEST)',
  401: 'Missing or bad credentials',
  403: 'Authenticated, but not allowed',
  404: 'No such resource, or not visible to the caller',
  405: 'Method not allowed (see Allow)',
  409: 'State conflict',
  410: 'Gone',
  412: 'If-Match version is stale',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Rate limited (see Retry-After)',
  503: 'A dependency is unavailable',
};

export function problemDescription(status: ProblemStatus): string {
  return DESCRIPTIONS[status];
}

/**
 * Documents the problem responses a route can give: `application/problem+json` only, whatever
 * the route's success type is (the document builder strips any other media type from errors).
 */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } },
      }),
    ),
  );
}
