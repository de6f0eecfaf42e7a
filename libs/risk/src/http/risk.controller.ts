import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { ContractRiskView, RiskRulesView } from '../dto/risk.dto';
import { ScreeningService } from '../screening.service';

@ApiTags('risk')
@Controller()
export class RiskController {
  constructor(private readonly screening: ScreeningService) {}

  @Get('contracts/:id/risk')
  @Roles(Role.Auditor, Role.Admin)
  @ApiOperation({
    summary:
      'A registration application’s score and findings, with their evidence (auditors of the office in charge, admins)',
  })
  @ApiOkResponse({ type: ContractRiskView })
  @ApiProblems([404, 'No such contract, not screened, or filed with another office (CONTRACT.NOT_FOUND)'])
  risk(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ContractRiskView> {
    return this.screening.riskOf(actor, id);
  }

  @Get('risk/rules')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Each rule’s weight, its findings and how often the auditors confirmed them (admin)' })
  @ApiOkResponse({ type: RiskRulesView })
  rules(): Promise<RiskRulesView> {
    return this.screening.rules();
  }
}
