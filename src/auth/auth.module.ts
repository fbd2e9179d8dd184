import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from 'src/config/app-config';
import { NotificationsModule } from 'src/notifications/notifications.module';
import { UsersModule } from 'src/users/users.module';
import { AccessGuard } from './access.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialResolvers } from './credential-resolvers';
import { JwtAuthGuard, JwtStrategy } from './jwt.strategy';
import { LoginThrottle } from './login-throttle';
import { MagicLinkWorker } from './magic-link.worker';
import { MAGIC_LINKS_QUEUE } from './magic-links.constants';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { SessionLiveness } from './session-liveness';
import { SessionRevocationConsumer } from './session-revocation.consumer';
import { TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    NotificationsModule,
    PassportModule,
    BullModule.registerQueue({ name: MAGIC_LINKS_QUEUE }),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController, ApiKeysController],
  providers: [
    AuthService,
    TokenService,
    LoginThrottle,
    MagicLinkWorker,
    ApiKeysService,
    CredentialResolvers,
    JwtStrategy,
    JwtAuthGuard,
    SessionLiveness,
    SessionRevocationConsumer,
    // Order matters: identify the caller first, then rate-limit anonymous public calls.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: PublicRateLimitGuard },
  ],
  // SessionLiveness: long-lived connections (the event stream) re-check their caller with it.
  exports: [CredentialResolvers, SessionLiveness, ApiKeysService, JwtStrategy],
})
export class AuthModule {}
