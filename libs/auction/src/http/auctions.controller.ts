import { Body, Controller, Get, MessageEvent, Param, ParseUUIDPipe, Post, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { DepositOpening } from '@market/payments';
import { AuctionsService } from '../auctions.service';
import { AuctionPage, AuctionQuery, AuctionView, CreateAuctionInput, DepositInput } from '../dto/auction.dto';
import { AuctionEventsService } from '../live/auction-events.service';
import { AuctionExistsGuard } from './auction-exists.guard';

const Id = () => new ParseUUIDPipe();

/** Auctions, deposits and the live view; bids have their own controller (`BidsController`). */
@ApiTags('auctions')
@IdempotentPosts()
@Controller('auctions')
export class AuctionsController {
  constructor(
    private readonly auctions: AuctionsService,
    private readonly events: AuctionEventsService,
  ) {}

  @Roles(Role.Seller, Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Auction an open auction-mode listing (English or sealed-bid)' })
  @ApiCreatedResponse({ type: AuctionView })
  @ApiProblems(
    [
      400,
      'Invalid input, or a schedule or prices that do not fit (VALIDATION_FAILED, AUCTION.BAD_SCHEDULE, AUCTION.BAD_PRICES)',
    ],
    [403, 'Not the seller’s organization nor an admin (AUCTION.NOT_SELLER)'],
    [404, 'No such listing, or not visible to the caller'],
    [409, 'The listing already has an auction that is not over (AUCTION.ALREADY_LIVE)'],
    [422, 'The listing is not open or not priced by auction (AUCTION.LISTING_NOT_AUCTIONABLE)'],
  )
  create(@CurrentActor() actor: Actor, @Body() input: CreateAuctionInput): Promise<AuctionView> {
    return this.auctions.create(actor, input);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Find auctions: by status, kind, listing and technical field; newest start first, paged' })
  @ApiOkResponse({ type: AuctionPage })
  list(@Query() query: AuctionQuery, @CurrentActor() actor: Actor | undefined): Promise<AuctionPage> {
    return this.auctions.list(actor, query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'An auction: the reserve only for its seller and admins until it is over' })
  @ApiOkResponse({ type: AuctionView })
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor | undefined): Promise<AuctionView> {
    return this.auctions.view(actor, id);
  }

  @Roles(Role.Buyer)
  @Post(':id/deposits')
  @ApiOperation({ summary: 'Ask to hold your deposit (保证金): a card hold, or bank-transfer instructions' })
  @ApiCreatedResponse({ type: DepositOpening })
  @ApiProblems(
    [403, 'Your own listing, or an auction restricted to other buyers (AUCTION.OWN_LISTING, AUCTION.NOT_INVITED)'],
    [409, 'The auction is over, or a deposit is already asked for (AUCTION.NOT_OPEN, PAYMENTS.DEPOSIT_ALREADY_LIVE)'],
    [
      422,
      'Your organization is not verified, card deposits are not available, or the card was refused (AUCTION.ORGANIZATION_NOT_VERIFIED, PAYMENTS.STRIPE_NOT_CONFIGURED, PAYMENTS.STRIPE_REFUSED)',
    ],
    503,
  )
  deposit(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: DepositInput,
  ): Promise<DepositOpening> {
    return this.auctions.requestDeposit(actor, id, input.method);
  }

  @Public()
  @UseGuards(AuctionExistsGuard) // an unknown auction is a 404, before any event-stream header is sent
  @Sse(':id/events')
  @ApiOperation({ summary: 'Server-sent events: accepted bids, extensions, open, close, settlement' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'Events `bid`, `extended`, `opened`, `closed`, `settled`, each with a JSON `data` line',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  stream(@Param('id', Id()) id: string): Observable<MessageEvent> {
    return this.events.stream(id);
  }
}
