import { Module } from '@nestjs/common';
import { MessagesModule } from 'src/messages/messages.module';
import { RatingsModule } from 'src/ratings/ratings.module';
import { TicketsModule } from 'src/tickets/tickets.module';
import { UsersModule } from 'src/users/users.module';
import { NotificationsModule } from './notifications.module';
import { TicketNotificationPlanner } from './ticket-notifications.planner';

/**
 * Ticket emails. A module of its own because it reads tickets, messages and users, while the
 * outbox itself (NotificationsModule) must stay importable by auth, which tickets depend on.
 */
@Module({
  imports: [NotificationsModule, TicketsModule, MessagesModule, UsersModule, RatingsModule],
  providers: [TicketNotificationPlanner],
})
export class TicketNotificationsModule {}
