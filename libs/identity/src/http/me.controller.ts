import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsService } from '../accounts.service';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { MeView } from '../dto/identity.dto';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s account and organization' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.accounts.me(actor);
  }
}
