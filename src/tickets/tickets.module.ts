import { Module, type OnModuleInit } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { CredentialResolvers } from 'src/auth/credential-resolvers';
import { UsersModule } from 'src/users/users.module';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard';
import {
  AdminTicketAccessTokenController,
  PortalTicketAccessTokenController,
} from './ticket-access-token.controller';
import { TicketAccessTokens } from './ticket-access-tokens.service';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/**
 * The ticket record (reads, the row lock, writes), its policy and its events. The changes
 * themselves, and the routes, are src/ticket-workflow/'s.
 */
@Module({
  imports: [UsersModule, AuthModule],
  // Rotating a ticket's access token is not a ticket change (no version): it stays here.
  controllers: [AdminTicketAccessTokenController, PortalTicketAccessTokenController],
  providers: [TicketsService, TicketsRepository, IntakeRateLimitGuard, TicketAccessTokens],
  exports: [TicketsService, IntakeRateLimitGuard],
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
