import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts, PageQuery } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import {
  CounterOfferInput,
  InviteBrokerInput,
  MessageInput,
  MessageView,
  NegotiationPage,
  NegotiationQuery,
  NegotiationView,
  OpenNegotiationInput,
  RejectOfferInput,
  WithdrawInput,
} from '../dto/negotiation.dto';
import { NegotiationsService } from '../negotiations.service';

const Id = () => new ParseUUIDPipe();

const NOT_FOUND = [404, 'No such negotiation or offer, or not a party’s member, its invited broker nor an admin'] as [
  number,
  string,
];
const NOT_AUTHORIZED = [
  403,
  'The caller sees the negotiation but may not do this: an admin, the broker, or a member without the side’s role (NEGOTIATION.NOT_AUTHORIZED)',
] as [number, string];
const ENDED =
  'the negotiation already ended (NEGOTIATION.ALREADY_ACCEPTED, NEGOTIATION.REJECTED, NEGOTIATION.WITHDRAWN, NEGOTIATION.OFFER_EXPIRED, NEGOTIATION.CLOSED)';

/**
 * Negotiations (协议定价). Only the parties' members, their invited broker and admins see one:
 * to anyone else every route answers 404, as for an unknown id.
 */
@ApiTags('negotiations')
@IdempotentPosts()
@Controller('negotiations')
export class NegotiationsController {
  constructor(private readonly negotiations: NegotiationsService) {}

  @Roles(Role.Buyer)
  @Post()
  @ApiOperation({ summary: 'Open a negotiation on an open negotiated listing, with a first offer' })
  @ApiCreatedResponse({ type: NegotiationView })
  @ApiProblems(
    [400, 'Invalid input, or terms that do not fit the listing or do not add up; `errors` names each field'],
    [404, 'No such listing, or not public'],
    [
      409,
      'The listing is not open, or your organization already negotiates on it (NEGOTIATION.LISTING_NOT_OPEN, NEGOTIATION.ALREADY_OPEN)',
    ],
    [
      422,
      'Your own listing, not priced by negotiation, or your organization is not verified (NEGOTIATION.OWN_LISTING, NEGOTIATION.NOT_NEGOTIATED, NEGOTIATION.ORGANIZATION_NOT_VERIFIED)',
    ],
  )
  open(@CurrentActor() actor: Actor, @Body() input: OpenNegotiationInput): Promise<NegotiationView> {
    return this.negotiations.open(actor, input);
  }

  @Get()
  @ApiOperation({
    summary: 'Your negotiations: your organization’s as buyer or seller, and those you broker (admins: all)',
  })
  @ApiOkResponse({ type: NegotiationPage })
  list(@CurrentActor() actor: Actor, @Query() query: NegotiationQuery): Promise<NegotiationPage> {
    return this.negotiations.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A negotiation with its offers' })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(NOT_FOUND)
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<NegotiationView> {
    return this.negotiations.view(actor, id);
  }

  @Post(':id/offers')
  @ApiOperation({
    summary:
      'Counter the standing offer (`replyToOfferId`). From the invited broker, a proposal that takes effect only when its client confirms it',
  })
  @ApiCreatedResponse({ type: NegotiationView })
  @ApiProblems(
    [400, 'Invalid input, or terms that do not fit the listing or do not add up; `errors` names each field'],
    NOT_AUTHORIZED,
    NOT_FOUND,
    [
      409,
      `Your side made the last offer (NEGOTIATION.NOT_YOUR_TURN), another offer replaced the one answered (NEGOTIATION.OFFER_SUPERSEDED), it expired, the listing is no longer open (NEGOTIATION.LISTING_NOT_OPEN), or ${ENDED}`,
    ],
  )
  counter(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: CounterOfferInput,
  ): Promise<NegotiationView> {
    return this.negotiations.counter(actor, id, input);
  }

  @Post(':id/offers/:offerId/accept')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Accept the standing offer of the other side: final at once, or first announced when the seller is a university or research institute',
  })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(NOT_AUTHORIZED, NOT_FOUND, [
    409,
    `Your own offer (NEGOTIATION.OWN_OFFER), a newer offer replaced it (NEGOTIATION.OFFER_SUPERSEDED), a broker’s proposal not yet confirmed (NEGOTIATION.OFFER_NOT_CONFIRMED), it expired, the listing is no longer open (NEGOTIATION.LISTING_NOT_OPEN), or ${ENDED}`,
  ])
  accept(
    @Param('id', Id()) id: string,
    @Param('offerId', Id()) offerId: string,
    @CurrentActor() actor: Actor,
  ): Promise<NegotiationView> {
    return this.negotiations.accept(actor, id, offerId);
  }

  @Post(':id/offers/:offerId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the standing offer of the other side, with a reason: the negotiation ends' })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(NOT_AUTHORIZED, NOT_FOUND, [409, `Your own offer, a newer offer replaced it, it expired, or ${ENDED}`])
  reject(
    @Param('id', Id()) id: string,
    @Param('offerId', Id()) offerId: string,
    @CurrentActor() actor: Actor,
    @Body() input: RejectOfferInput,
  ): Promise<NegotiationView> {
    return this.negotiations.reject(actor, id, offerId, input.reason);
  }

  @Post(':id/offers/:offerId/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Confirm the invited broker’s proposal: it becomes your side’s offer (only a member of the broker’s client, with the side’s role)',
  })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(NOT_AUTHORIZED, NOT_FOUND, [
    409,
    `Not awaiting confirmation (NEGOTIATION.OFFER_NOT_AWAITING_CONFIRMATION), the offer it answered was replaced or expired, the listing is no longer open (NEGOTIATION.LISTING_NOT_OPEN), or ${ENDED}`,
  ])
  confirm(
    @Param('id', Id()) id: string,
    @Param('offerId', Id()) offerId: string,
    @CurrentActor() actor: Actor,
  ): Promise<NegotiationView> {
    return this.negotiations.confirm(actor, id, offerId);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Break off the negotiation (either party); with `offerId`, only while that offer still stands',
  })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(NOT_AUTHORIZED, NOT_FOUND, [409, `Another offer replaced \`offerId\`, or ${ENDED}`])
  withdraw(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: WithdrawInput,
  ): Promise<NegotiationView> {
    return this.negotiations.withdraw(actor, id, input);
  }

  @Post(':id/broker')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Invite a broker (技术经理人) of a technology transfer agency, with its commission (a party’s member)',
  })
  @ApiOkResponse({ type: NegotiationView })
  @ApiProblems(
    [400, 'Invalid input, or not exactly one of `commission.rateBasisPoints` and `commission.fixedFen`'],
    NOT_AUTHORIZED,
    NOT_FOUND,
    [409, `A broker is already invited (NEGOTIATION.BROKER_ALREADY_INVITED), or ${ENDED}`],
    [422, 'Not a broker of a technology transfer agency (NEGOTIATION.NOT_A_BROKER)'],
  )
  inviteBroker(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: InviteBrokerInput,
  ): Promise<NegotiationView> {
    return this.negotiations.inviteBroker(actor, id, input);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'The negotiation’s thread, oldest first' })
  @ApiOkResponse({ type: MessageView, isArray: true })
  @ApiProblems(NOT_FOUND)
  messages(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
  ): Promise<MessageView[]> {
    return this.negotiations.listMessages(actor, id, page);
  }

  @Post(':id/messages')
  @ApiOperation({ summary: 'Write in the thread (the parties’ members and the invited broker)' })
  @ApiCreatedResponse({ type: MessageView })
  @ApiProblems([403, 'Admins read the thread but do not write in it (NEGOTIATION.NOT_AUTHORIZED)'], NOT_FOUND)
  postMessage(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: MessageInput,
  ): Promise<MessageView> {
    return this.negotiations.postMessage(actor, id, input);
  }
}
