import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountsService } from '../accounts.service';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { MeView } from '../dto/identity.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.accounts.me(actor);
  }
}
