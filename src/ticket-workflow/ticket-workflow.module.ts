import { Module } from '@nestjs/common';
import { AssignmentsController } from 'src/assignments/assignments.controller';
import { AssignmentsModule } from 'src/assignments/assignments.module';
import { AttachmentsModule } from 'src/attachments/attachments.module';
import { BulkActionsController } from 'src/bulk/bulk-actions.controller';
import { EscalationsController } from 'src/escalations/escalations.controller';
import { AdminMessagesController } from 'src/messages/admin-messages.controller';
import { MessagesModule } from 'src/messages/messages.module';
import { PortalMessagesController } from 'src/messages/portal-messages.controller';
import { NotesModule } from 'src/notes/notes.module';
import { RatingsModule } from 'src/ratings/ratings.module';
import { SlaModule } from 'src/sla/sla.module';
import { AdminTicketsController } from 'src/tickets/admin-tickets.controller';
import { PortalTicketsController } from 'src/tickets/portal-tickets.controller';
import { PublicTicketsController } from 'src/tickets/public-tickets.controller';
import { TicketsModule } from 'src/tickets/tickets.module';
import { UsersModule } from 'src/users/users.module';
import { AddCustomerMessage } from './add-customer-message';
import { AssignTicket } from './assign-ticket';
import { AutoCloseTicket } from './auto-close-ticket';
import { BulkChangeTickets } from './bulk-change-tickets';
import { ChangeTicketStatus } from './change-ticket-status';
import { DeleteTicket } from './delete-ticket';
import { EditTicket } from './edit-ticket';
import { EscalateTicket } from './escalate-ticket';
import { OpenPublicTicket } from './open-public-ticket';
import { OpenStaffTicket } from './open-staff-ticket';
import { OpenTicket } from './open-ticket';
import { ReplyToTicket } from './reply-to-ticket';
import { TicketStatusMoves } from './ticket-status-move';
import { TicketViews } from './ticket-views';

/**
 * Every change to a ticket, one use case per file (docs/workflow.md): lock the ticket once,
 * check the policy, write through the record services (tickets, messages, assignments, SLA),
 * record the domain events last with a snapshot. This layer depends on the record modules and
 * none of them on it, so it also serves the routes that change tickets (their controllers stay
 * in their feature folders) and composes the ticket detail views.
 */
@Module({
  imports: [
    UsersModule,
    TicketsModule,
    MessagesModule,
    AssignmentsModule,
    SlaModule,
    NotesModule,
    AttachmentsModule,
    RatingsModule,
  ],
  controllers: [
    PublicTicketsController,
    PortalTicketsController,
    AdminTicketsController,
    AdminMessagesController,
    PortalMessagesController,
    AssignmentsController,
    EscalationsController,
    BulkActionsController,
  ],
  providers: [
    OpenTicket,
    OpenPublicTicket,
    OpenStaffTicket,
    ReplyToTicket,
    AddCustomerMessage,
    ChangeTicketStatus,
    AssignTicket,
    EscalateTicket,
    EditTicket,
    DeleteTicket,
    AutoCloseTicket,
    BulkChangeTickets,
    TicketStatusMoves,
    TicketViews,
  ],
  exports: [AutoCloseTicket, OpenTicket, TicketViews],
})
export class TicketWorkflowModule {}
