import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, HandlesOwnIdempotency, IdempotentPosts } from '@market/http';
import { AccountsService } from '../accounts.service';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public } from '../auth/decorators';
import { LocalAuthGuard } from '../auth/guards';
import { RateLimit, Throttled } from '../auth/rate-limit';
import { LoginInput, MeView, RegisterInput, TokenView } from '../dto/identity.dto';

@ApiTags('auth')
@IdempotentPosts()
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Throttled(RateLimit.Registration)
  @Post('register')
  @ApiOperation({ summary: 'Register an organization (unverified) and its first account' })
  @ApiCreatedResponse({ type: MeView, description: 'The new account with its organization' })
  @ApiProblems(
    [403, 'A role that only an admin grants (IDENTITY.ROLE_NOT_SELF_SERVICE)'],
    [409, 'The e-mail or the credit code is already registered (IDENTITY.EMAIL_TAKEN, IDENTITY.ORGANIZATION_EXISTS)'],
  )
  register(@Body() input: RegisterInput): Promise<MeView> {
    return this.accounts.register(input);
  }

  @Public()
  // Decorators apply bottom-up: the rate limit runs first, so a wrong password counts too.
  @UseGuards(LocalAuthGuard)
  @Throttled(RateLimit.Login)
  // A login writes nothing and may be repeated; its answer, a bearer token, is never stored.
  @HandlesOwnIdempotency()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for a bearer token' })
  @ApiOkResponse({ type: TokenView })
  @ApiProblems([401, 'Wrong e-mail or password (IDENTITY.BAD_CREDENTIALS)'])
  login(@Body() _credentials: LoginInput, @CurrentActor() actor: Actor): TokenView {
    return this.accounts.issueToken(actor);
  }
}
