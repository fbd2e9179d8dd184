import type { FieldError } from './app-error';

/** The RFC 9457 document every error response carries (API.md section 1). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  request_id?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `INVALID_STATUS_TRANSITION` → `https://helpdesk.dev/problems/invalid-status-transition`. */
export function problemTypeFor(code: string): string {
  return `https://helpdesk.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
