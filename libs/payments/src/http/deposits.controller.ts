import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { DepositsService } from '../deposits.service';
import { DepositView } from '../dto/deposit.dto';

@ApiTags('payments')
@IdempotentPosts()
@Controller('payments/deposits')
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Get(':id')
  @ApiOperation({ summary: "A deposit (the payer's members, finance and admins; a 404 to anyone else)" })
  @ApiOkResponse({ type: DepositView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<DepositView> {
    return this.deposits.getDepositFor(id, actor);
  }

  // The market operator's job: never a party's, never a broker's.
  @Roles(Role.Finance, Role.Admin)
  @Post(':id/offline-receipt')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the bank transfer of a deposit arrived (finance, admin); it is then held' })
  @ApiOkResponse({ type: DepositView })
  @ApiProblems(
    [409, 'The deposit is no longer pending (PAYMENTS.DEPOSIT_CLOSED)'],
    [422, 'A card deposit (PAYMENTS.NOT_OFFLINE)'],
  )
  recordOfflineReceipt(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<DepositView> {
    return this.deposits.recordOfflineReceipt(id, actor);
  }
}
