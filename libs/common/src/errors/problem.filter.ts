import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** Renders every error that reaches Nest as an RFC 9457 problem document. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(request, reply, error, this.logger);
  }
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  logger: Pick<Logger, 'error'>,
): void {
  const { problem, headers, unexpected } = toProblem(error, String(request.id));
  if (unexpected) {
    logger.error(
      { err: error, request_id: request.id, route: request.routeOptions?.url },
      'unhandled error',
    );
  }
  if (reply.sent) return;
  reply
    .status(problem.status)
    .headers(headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}
