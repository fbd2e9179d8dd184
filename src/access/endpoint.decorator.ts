import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import { ApiProblems, type ProblemStatus } from '@helpdesk/common';
import { ACCESS_RULE, type AccessRule } from './access.decorators';
import { AUDIT_ACTION, AUDIT_EXEMPT } from './audited.decorator';
import { isStaffRole } from './roles';

export const ENDPOINT = 'endpoint';

/** Everything a route declares about itself, once (like immich's `@Endpoint`). */
export interface EndpointOptions {
  /** The name a generated client gives the call: camelCase, unique (`listTickets`). */
  operationId: string;
  /** One line for the reference and Swagger UI. */
  summary: string;
  description?: string;
  /** Who may call it (`access.roles('support')`, `access.public()` …). */
  access: AccessRule;
  /** The audit action a mutating route performs (API.md section 8)… */
  audit?: string;
  /** …or why it changes nothing worth auditing. */
  notAudited?: string;
  /**
   * The problem statuses its own rules can answer. 401/403 follow from `access`, 412 from
   * `ifMatch`, and 400/413/415 of a JSON body from the document builder (src/openapi.ts).
   */
  problems?: ProblemStatus[];
  /** Takes an optional `If-Match` and answers 412 when it is stale. */
  ifMatch?: boolean;
}

export const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the version you edited, e.g. "3"; 412 when stale',
  schema: { type: 'string', example: '"3"' },
} as const;

/** The OpenAPI security requirements that say which credentials a rule accepts. */
export function securityOf(rule: AccessRule): Array<Record<string, string[]>> {
  if (rule.kind === 'public') return [];
  const schemes = new Set<string>();
  const staffOrAnyone = rule.kind === 'authenticated' || rule.roles.some(isStaffRole);
  schemes.add('bearer');
  // API keys carry staff roles: they open staff routes and "any authenticated caller" routes.
  if (staffOrAnyone) schemes.add('api-key');
  if (rule.ticketToken) schemes.add('ticket-token');
  return [...schemes].map((scheme) => ({ [scheme]: [] }));
}

/** The problems the access guard itself can answer under a rule. */
function accessProblems(rule: AccessRule): ProblemStatus[] {
  if (rule.kind === 'public') return [];
  // 403: a role outside the rule (a customer on a staff route, staff on a customer route).
  return rule.kind === 'roles' ? [401, 403] : [401];
}

/**
 * The route stack in one decorator: access rule, audit action, OpenAPI operation (summary,
 * operationId, security, problems) and `If-Match`. Every route uses it; a test fails on one
 * that does not (test/contract/openapi-document.e2e-spec.ts).
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const problems = new Set<ProblemStatus>([
    ...accessProblems(options.access),
    ...(options.ifMatch ? [412 as const] : []),
    ...(options.problems ?? []),
  ]);
  const security = securityOf(options.access);
  const decorators: Array<MethodDecorator> = [
    SetMetadata(ENDPOINT, options),
    SetMetadata(ACCESS_RULE, options.access),
    ApiOperation({
      operationId: options.operationId,
      summary: options.summary,
      description: options.description,
    }),
    // A public route gets `security: []` from the document builder (src/openapi.ts).
    ...security.map((requirement) => ApiSecurity(requirement)),
    ApiProblems(...[...problems].sort()),
  ];
  if (options.audit) decorators.push(SetMetadata(AUDIT_ACTION, options.audit));
  if (options.notAudited) decorators.push(SetMetadata(AUDIT_EXEMPT, options.notAudited));
  if (options.ifMatch) decorators.push(ApiHeader(IF_MATCH_HEADER));
  return applyDecorators(...decorators);
}
