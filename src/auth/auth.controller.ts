import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { NoUnitOfWork, type Actor } from '@helpdesk/common';
import { toUserResponse, UserResponse } from 'src/users/dto/user.response';
import { UsersService } from 'src/users/users.service';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { AuthService, type SignedIn } from './auth.service';
import {
  ApiKeyCallerResponse,
  LoginDto,
  MagicLinkRequestDto,
  MagicLinkVerifyDto,
  RefreshDto,
  TokenPairResponse,
} from './dto/auth.dto';

function toTokenPair(signedIn: SignedIn): TokenPairResponse {
  return {
    access_token: signedIn.accessToken,
    refresh_token: signedIn.refreshToken,
    token_type: 'Bearer',
    expires_in: signedIn.expiresIn,
    user: toUserResponse(signedIn.user),
  };
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Endpoint({
    operationId: 'login',
    summary: 'Sign in with email and password',
    access: access.public(),
    audit: 'auth.login',
    problems: [401, 403, 422, 429],
  })
  @HttpCode(200)
  @NoUnitOfWork() // a failed login must still commit its audit entry; the service runs its own units
  @ApiOkResponse({ type: TokenPairResponse })
  async login(@Body() body: LoginDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.login(body.email, body.password));
  }

  @Post('refresh')
  @Endpoint({
    operationId: 'refreshTokens',
    summary: 'Exchange a refresh token for a new token pair',
    access: access.public(),
    notAudited: 'token rotation is bookkeeping; sign-ins are audited at login',
    problems: [401, 422],
  })
  @HttpCode(200)
  @NoUnitOfWork() // a replayed token revokes its family even though the answer is 401
  @ApiOkResponse({ type: TokenPairResponse })
  async refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.refresh(body.refresh_token));
  }

  @Post('logout')
  @Endpoint({
    operationId: 'logout',
    summary: 'End this session (its refresh token stops working)',
    access: access.authenticated(),
    notAudited: 'ending one’s own session changes no shared data',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'This session’s refresh token stops working' })
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
  }

  @Get('me')
  @Endpoint({
    operationId: 'getCurrentCaller',
    summary: 'The signed-in user, or the calling API key',
    access: access.authenticated(),
    problems: [404],
  })
  @ApiExtraModels(UserResponse, ApiKeyCallerResponse)
  @ApiOkResponse({
    description: 'The signed-in user, or the calling API key',
    schema: {
      oneOf: [{ $ref: getSchemaPath(UserResponse) }, { $ref: getSchemaPath(ApiKeyCallerResponse) }],
    },
  })
  async me(@CurrentActor() actor: Actor): Promise<UserResponse | ApiKeyCallerResponse> {
    if (actor.type === 'api_key') {
      // An integration key is not a user; describe it in the same shape's spirit.
      return { id: actor.id!, name: actor.name ?? '', role: actor.role!, type: 'api_key' };
    }
    return toUserResponse(await this.users.findById(actor.id!));
  }

  @Post('magic-link')
  @Endpoint({
    operationId: 'requestMagicLink',
    summary: 'Email a customer a sign-in link',
    access: access.public(),
    notAudited: 'issuing a link changes no shared data; its use is audited as auth.login',
    problems: [422, 429],
  })
  @HttpCode(202)
  @ApiAcceptedResponse({
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['accepted'] } },
      required: ['status'],
    },
    description: 'Always (no account enumeration); an email goes only to an existing customer',
  })
  async requestMagicLink(@Body() body: MagicLinkRequestDto): Promise<{ status: 'accepted' }> {
    await this.auth.requestMagicLink(body.email);
    return { status: 'accepted' };
  }

  @Post('magic-link/verify')
  @Endpoint({
    operationId: 'verifyMagicLink',
    summary: 'Sign in with a magic-link token',
    access: access.public(),
    audit: 'auth.login',
    problems: [401, 422],
  })
  @HttpCode(200)
  @NoUnitOfWork() // the service spends the token in its own unit of work
  @ApiOkResponse({ type: TokenPairResponse })
  async verifyMagicLink(@Body() body: MagicLinkVerifyDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.verifyMagicLink(body.token));
  }
}
