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
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    NotificationsModule,
    PassportModule,
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
    ApiKeysService,
    CredentialResolvers,
    JwtStrategy,
    JwtAuthGuard,
    // Order matters: identify the caller first, then rate-limit anonymous public calls.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: PublicRateLimitGuard },
  ],
  exports: [CredentialResolvers, ApiKeysService, JwtStrategy],
})
export class AuthModule {}
