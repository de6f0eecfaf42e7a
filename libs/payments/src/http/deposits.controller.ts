import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { DepositsService } from '../deposits.service';
import { DepositView } from '../dto/deposit.dto';

@ApiTags('payments')
@ApiBearerAuth()
@IdempotentPosts()
@Controller('payments/deposits')
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Get(':id')
  @ApiOperation({ summary: "A deposit (the payer's members, finance and admins; a 404 to anyone else)" })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<DepositView> {
    return this.deposits.getDepositFor(id, actor);
  }

  // The market operator's job: never a party's, never a broker's.
  @Roles(Role.Finance, Role.Admin)
  @Post(':id/offline-receipt')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the bank transfer of a deposit arrived (finance, admin); it is then held' })
  recordOfflineReceipt(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<DepositView> {
    return this.deposits.recordOfflineReceipt(id, actor);
  }
}
