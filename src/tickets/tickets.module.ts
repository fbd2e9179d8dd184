import { Module, type OnModuleInit } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { CredentialResolvers } from 'src/auth/credential-resolvers';
import { UsersModule } from 'src/users/users.module';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/**
 * The ticket record (reads, the row lock, writes), its policy and its events. The changes
 * themselves, and the routes, are src/ticket-workflow/'s.
 */
@Module({
  imports: [UsersModule, AuthModule],
  providers: [TicketsService, TicketsRepository],
  exports: [TicketsService],
})
export class TicketsModule implements OnModuleInit {
  constructor(
    private readonly resolvers: CredentialResolvers,
    private readonly tickets: TicketsService,
  ) {}

  onModuleInit(): void {
    this.resolvers.registerTicketTokenResolver((token) => this.tickets.resolveAccessToken(token));
  }
}
