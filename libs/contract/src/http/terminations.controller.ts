import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor } from '@market/identity';
import { ReasonInput } from '../dto/registration.dto';
import { TerminationView } from '../dto/termination.dto';
import { TerminationService } from '../termination.service';

const Id = () => new ParseUUIDPipe();
const NOT_FOUND: [number, string] = [
  404,
  'No such contract or proposal, or not visible to you: parties, their broker, the office in charge and admins only',
];
const ANSWERED: [number, string] = [
  409,
  'The proposal was answered already, or the contract cannot be cancelled now (CONTRACT.TERMINATION_STATE, CONTRACT.INVALID_STATE, CONTRACT.REGISTRATION_STATE)',
];

@ApiTags('contracts')
@IdempotentPosts()
@Controller('contracts')
export class TerminationsController {
  constructor(private readonly terminations: TerminationService) {}

  @Get(':id/terminations')
  @ApiOperation({ summary: 'Proposals to end the contract by agreement (协商解除), newest first' })
  @ApiOkResponse({ type: TerminationView, isArray: true })
  @ApiProblems(NOT_FOUND)
  list(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<TerminationView[]> {
    return this.terminations.list(actor, id);
  }

  @Post(':id/terminations')
  @ApiOperation({
    summary: 'Propose ending a registered or performing contract by agreement, with the reason (a party)',
  })
  @ApiCreatedResponse({ type: TerminationView })
  @ApiProblems(
    NOT_FOUND,
    [403, 'Not a member of a party with a trading role (CONTRACT.NOT_A_PARTY)'],
    [
      409,
      'Not registered or performing, or a proposal is waiting for its answer (CONTRACT.INVALID_STATE, CONTRACT.TERMINATION_WAITING)',
    ],
  )
  propose(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<TerminationView> {
    return this.terminations.propose(actor, id, input.reason);
  }

  @Post(':id/terminations/:terminationId/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Agree to the other party’s proposal: the cancellation registration (注销登记) is applied for at once',
  })
  @ApiOkResponse({ type: TerminationView })
  @ApiProblems(NOT_FOUND, ANSWERED, [
    403,
    'Not a party, or your own side proposed it (CONTRACT.NOT_A_PARTY, CONTRACT.OTHER_PARTY_RESOLVES)',
  ])
  confirm(
    @Param('id', Id()) id: string,
    @Param('terminationId', Id()) terminationId: string,
    @CurrentActor() actor: Actor,
  ): Promise<TerminationView> {
    return this.terminations.answer(actor, id, terminationId, 'confirm');
  }

  @Post(':id/terminations/:terminationId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the other party’s proposal, with the reason: the contract stays in force' })
  @ApiOkResponse({ type: TerminationView })
  @ApiProblems(NOT_FOUND, ANSWERED, [
    403,
    'Not a party, or your own side proposed it (CONTRACT.NOT_A_PARTY, CONTRACT.OTHER_PARTY_RESOLVES)',
  ])
  decline(
    @Param('id', Id()) id: string,
    @Param('terminationId', Id()) terminationId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<TerminationView> {
    return this.terminations.answer(actor, id, terminationId, 'decline', input.reason);
  }

  @Post(':id/terminations/:terminationId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw your side’s proposal before it is answered, with the reason' })
  @ApiOkResponse({ type: TerminationView })
  @ApiProblems(NOT_FOUND, ANSWERED, [
    403,
    'Not a party, or the other side proposed it (CONTRACT.NOT_A_PARTY, CONTRACT.PROPOSER_WITHDRAWS)',
  ])
  withdraw(
    @Param('id', Id()) id: string,
    @Param('terminationId', Id()) terminationId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<TerminationView> {
    return this.terminations.answer(actor, id, terminationId, 'withdraw', input.reason);
  }
}
