import { Module, type OnModuleInit } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { CredentialResolvers } from 'src/auth/credential-resolvers';
import { UsersModule } from 'src/users/users.module';
import { AdminTicketsController } from './admin-tickets.controller';
import { PortalTicketsController } from './portal-tickets.controller';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard';
import { PublicTicketsController } from './public-tickets.controller';
import {
  AdminTicketAccessTokenController,
  PortalTicketAccessTokenController,
} from './ticket-access-token.controller';
import { TicketAccessTokens } from './ticket-access-tokens.service';
import { TicketDetailRegistry } from './ticket-detail.registry';
import { TicketViewsService } from './ticket-views.service';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UsersModule, AuthModule],
  controllers: [
    PublicTicketsController,
    PortalTicketsController,
    AdminTicketsController,
    AdminTicketAccessTokenController,
    PortalTicketAccessTokenController,
  ],
  providers: [
    TicketsService,
    TicketsRepository,
    TicketViewsService,
    TicketDetailRegistry,
    IntakeRateLimitGuard,
    TicketAccessTokens,
  ],
  exports: [TicketsService, TicketViewsService, TicketDetailRegistry],
})
export class TicketsModule implements OnModuleInit {
  constructor(
    private readonly resolvers: CredentialResolvers,
    private readonly ticketTokens: TicketAccessTokens,
  ) {}

  onModuleInit(): void {
    this.resolvers.registerTicketTokenResolver((token) => this.ticketTokens.resolve(token));
  }
}
