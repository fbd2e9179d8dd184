import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems, NoUnitOfWork, type Actor } from '@helpdesk/common';
import { Audited, NotAudited } from 'src/access/audited.decorator';
import { toUserResponse, UserResponse } from 'src/users/dto/user.response';
import { UsersService } from 'src/users/users.service';
import { Authenticated, CurrentActor, Public } from 'src/access/access.decorators';
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
  @HttpCode(200)
  @Public()
  @NoUnitOfWork() // a failed login must still commit its audit entry; the service runs its own units
  @Audited('auth.login')
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiProblems(401, 403, 422, 429)
  async login(@Body() body: LoginDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.login(body.email, body.password));
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @NoUnitOfWork() // a replayed token revokes its family even though the answer is 401
  @NotAudited('token rotation is bookkeeping; sign-ins are audited at login')
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiProblems(401, 422)
  async refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.refresh(body.refresh_token));
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated()
  @ApiBearerAuth()
  @NotAudited('ending one’s own session changes no shared data')
  @ApiNoContentResponse({ description: 'This session’s refresh token stops working' })
  @ApiProblems(401)
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  @ApiExtraModels(UserResponse, ApiKeyCallerResponse)
  @ApiOkResponse({
    description: 'The signed-in user, or the calling API key',
    schema: {
      oneOf: [{ $ref: getSchemaPath(UserResponse) }, { $ref: getSchemaPath(ApiKeyCallerResponse) }],
    },
  })
  @ApiProblems(401, 404)
  async me(@CurrentActor() actor: Actor): Promise<UserResponse | ApiKeyCallerResponse> {
    if (actor.type === 'api_key') {
      // An integration key is not a user; describe it in the same shape's spirit.
      return { id: actor.id!, name: actor.name ?? '', role: actor.role!, type: 'api_key' };
    }
    return toUserResponse(await this.users.findById(actor.id!));
  }

  @Post('magic-link')
  @HttpCode(202)
  @Public()
  @NotAudited('issuing a link changes no shared data; its use is audited as auth.login')
  @ApiAcceptedResponse({
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['accepted'] } },
      required: ['status'],
    },
    description: 'Always (no account enumeration); an email goes only to an existing customer',
  })
  @ApiProblems(422, 429)
  async requestMagicLink(@Body() body: MagicLinkRequestDto): Promise<{ status: 'accepted' }> {
    await this.auth.requestMagicLink(body.email);
    return { status: 'accepted' };
  }

  @Post('magic-link/verify')
  @HttpCode(200)
  @Public()
  @NoUnitOfWork() // the service spends the token in its own unit of work
  @Audited('auth.login')
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiProblems(401, 422)
  async verifyMagicLink(@Body() body: MagicLinkVerifyDto): Promise<TokenPairResponse> {
    return toTokenPair(await this.auth.verifyMagicLink(body.token));
  }
}
