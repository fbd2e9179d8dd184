import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mergeMap, type Observable } from 'rxjs';
import { TicketsService } from './tickets.service';

/**
 * Sends the ticket's new `ETag` after a write that answers with something other than the ticket
 * (a reply answers with the message), so the client's next `If-Match` matches instead of failing
 * with 412. The ticket is the route's `:id`, read once more after the write (by primary key).
 */
@Injectable()
export class TicketETagInterceptor implements NestInterceptor {
  constructor(private readonly tickets: TicketsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const ticketId = (http.getRequest<FastifyRequest>().params as { id?: string } | undefined)?.id;
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const ticket = ticketId ? await this.tickets.findLive(ticketId) : null;
        if (ticket) reply.header('ETag', `"${ticket.version}"`);
        return body;
      }),
    );
  }
}
