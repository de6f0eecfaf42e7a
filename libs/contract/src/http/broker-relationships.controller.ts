import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { BrokersService } from '../brokers.service';
import { BrokerRelationshipInput, BrokerRelationshipView } from '../dto/contract.dto';

@ApiTags('contracts')
@IdempotentPosts()
@Controller('broker-relationships')
export class BrokerRelationshipsController {
  constructor(private readonly brokers: BrokersService) {}

  @Get()
  @ApiOperation({ summary: 'The broker relationships of your organization, as client or as broker' })
  @ApiOkResponse({ type: BrokerRelationshipView, isArray: true })
  mine(@CurrentActor() actor: Actor): Promise<BrokerRelationshipView[]> {
    return this.brokers.mine(actor);
  }

  @Roles(Role.Seller, Role.Buyer)
  @Post()
  @ApiOperation({ summary: 'Name an agency your organization’s broker: its brokers may then enter contracts for you' })
  @ApiCreatedResponse({ type: BrokerRelationshipView })
  @ApiProblems(
    [404, 'No such organization'],
    [409, 'Already named (CONTRACT.RELATIONSHIP_EXISTS)'],
    [422, 'The organization has no broker members (CONTRACT.NOT_A_BROKERAGE)'],
  )
  grant(@CurrentActor() actor: Actor, @Body() input: BrokerRelationshipInput): Promise<BrokerRelationshipView> {
    return this.brokers.grant(actor, input.brokerOrganizationId);
  }

  @Roles(Role.Seller, Role.Buyer)
  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a broker relationship your organization granted' })
  @ApiOkResponse({ type: BrokerRelationshipView })
  @ApiProblems(
    [404, 'No such relationship of your organization'],
    [409, 'Already revoked (CONTRACT.RELATIONSHIP_REVOKED)'],
  )
  revoke(@Param('id', new ParseUUIDPipe()) id: string, @CurrentActor() actor: Actor): Promise<BrokerRelationshipView> {
    return this.brokers.revoke(actor, id);
  }
}
