import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@market/http';
import { Actor, CurrentActor, Public } from '@market/identity';
import { CreditService } from '../credit.service';
import { CreditRecordView, DisclosureView } from '../dto/credit.dto';

@ApiTags('credit')
@Controller('credit')
export class CreditController {
  constructor(private readonly credit: CreditService) {}

  @Get('orgs/:id')
  @ApiOperation({
    summary:
      'An organization’s credit record (信用档案): rating and the events behind it (its members, auditors, admins)',
  })
  @ApiOkResponse({ type: CreditRecordView })
  @ApiProblems([404, 'No such organization, or not visible to the caller'])
  organization(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<CreditRecordView> {
    return this.credit.record(actor, 'organization', id);
  }

  @Get('brokers/:id')
  @ApiOperation({ summary: 'A broker agency’s credit record (its members, auditors, admins)' })
  @ApiOkResponse({ type: CreditRecordView })
  @ApiProblems([404, 'No such broker agency, or not visible to the caller'])
  broker(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<CreditRecordView> {
    return this.credit.record(actor, 'broker', id);
  }

  @Public()
  @Get('disclosures')
  @ApiOperation({ summary: 'Organizations rated D, with their confirmed false contracts: public, nothing private' })
  @ApiOkResponse({ type: DisclosureView, isArray: true })
  disclosures(): Promise<DisclosureView[]> {
    return this.credit.disclosures();
  }
}
