import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { AnnouncementService } from '../announcement.service';
import { CreateListingInput, ListingView, OwnListingView, UpdateListingInput } from '../dto/listing.dto';
import { ListingPage, ListingSearchQuery } from '../dto/search.dto';
import {
  IntentInput,
  IntentView,
  ObjectionAnswerInput,
  ObjectionInput,
  ObjectionRulingInput,
  ObjectionView,
  RejectionInput,
} from '../dto/trading.dto';
import { ListedTradingService } from '../listed-trading.service';
import { ListingSearchService } from '../listing-search.service';
import { ListingsService } from '../listings.service';

const Id = () => new ParseUUIDPipe();

const NOT_YOURS = [403, 'Not a member of the seller’s organization, or without the role (LISTING.NOT_YOURS)'] as [
  number,
  string,
];
const WRONG_STATE = [409, 'The listing’s status forbids this (LISTING.INVALID_STATE, with `listingStatus`)'] as [
  number,
  string,
];
const OWN = { type: OwnListingView, description: 'The listing as its organization sees it' };

@ApiTags('listings')
@ApiExtraModels(ListingView, OwnListingView)
@IdempotentPosts()
@Controller('listings')
export class ListingsController {
  constructor(
    private readonly listings: ListingsService,
    private readonly search: ListingSearchService,
    private readonly announcement: AnnouncementService,
    private readonly trading: ListedTradingService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Search announced and open listings (Chinese and English), filter, sort, page' })
  @ApiOkResponse({ type: ListingPage })
  find(@Query() query: ListingSearchQuery): Promise<ListingPage> {
    return this.search.search(query);
  }

  @Roles(Role.Seller)
  @Post()
  @ApiOperation({ summary: 'Create a draft listing for your organization' })
  @ApiCreatedResponse(OWN)
  create(@CurrentActor() actor: Actor, @Body() input: CreateListingInput): Promise<OwnListingView> {
    return this.listings.create(actor, input);
  }

  @Roles(Role.Seller)
  @Get('mine')
  @ApiOperation({ summary: 'Your organization’s listings in every state' })
  @ApiOkResponse({ ...OWN, isArray: true })
  mine(@CurrentActor() actor: Actor): Promise<OwnListingView[]> {
    return this.listings.mine(actor);
  }

  @Roles(Role.Admin)
  @Get('review-queue')
  @ApiOperation({ summary: 'Submitted listings awaiting review, the longest waiting first (at most 200)' })
  @ApiOkResponse({ ...OWN, isArray: true })
  reviewQueue(): Promise<OwnListingView[]> {
    return this.listings.reviewQueue();
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'A listing: public once announced; drafts only to their organization' })
  @ApiOkResponse({
    description: 'Its own organization and admins see the `OwnListingView`, everyone else the `ListingView`',
    schema: { anyOf: [{ $ref: getSchemaPath(OwnListingView) }, { $ref: getSchemaPath(ListingView) }] },
  })
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor | undefined): Promise<ListingView> {
    return this.listings.view(actor, id);
  }

  @Roles(Role.Seller)
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft' })
  @ApiOkResponse(OWN)
  @ApiProblems(NOT_YOURS, WRONG_STATE)
  update(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: UpdateListingInput,
  ): Promise<OwnListingView> {
    return this.listings.update(actor, id, input);
  }

  @Roles(Role.Seller)
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for review (the organization must be verified)' })
  @ApiOkResponse(OWN)
  @ApiProblems(NOT_YOURS, WRONG_STATE, [
    422,
    'No asking price for a priced mode, or the organization is not verified (LISTING.PRICE_REQUIRED, LISTING.ORGANIZATION_NOT_VERIFIED)',
  ])
  submit(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<OwnListingView> {
    return this.listings.submit(actor, id);
  }

  @Roles(Role.Admin)
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted listing: its announcement (公示) starts' })
  @ApiOkResponse(OWN)
  @ApiProblems(WRONG_STATE)
  approve(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<OwnListingView> {
    return this.listings.approve(actor, id);
  }

  @Roles(Role.Admin)
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted listing back to draft, with the reason' })
  @ApiOkResponse(OWN)
  @ApiProblems(WRONG_STATE)
  reject(
    @Param('id', Id()) id: string,
    @Body() input: RejectionInput,
    @CurrentActor() actor: Actor,
  ): Promise<OwnListingView> {
    return this.listings.reject(id, input.reason, actor);
  }

  @Roles(Role.Seller)
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a listing that is not yet under contract' })
  @ApiOkResponse(OWN)
  @ApiProblems(NOT_YOURS, WRONG_STATE)
  withdraw(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<OwnListingView> {
    return this.listings.withdraw(actor, id);
  }

  @Post(':id/objections')
  @ApiOperation({ summary: 'Object (异议) to an announced listing; pauses the announcement' })
  @ApiCreatedResponse({ type: ObjectionView })
  @ApiProblems(
    [409, 'Not announced, or the announcement is over (LISTING.INVALID_STATE, LISTING.ANNOUNCEMENT_OVER)'],
    [
      422,
      'Your own listing, or your organization is not verified (LISTING.OWN_LISTING, LISTING.ORGANIZATION_NOT_VERIFIED)',
    ],
  )
  object(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ObjectionInput,
  ): Promise<ObjectionView> {
    return this.announcement.object(actor, id, input.reason);
  }

  @Get(':id/objections')
  @ApiOperation({ summary: 'Objections: all for the seller and admins, your own otherwise' })
  @ApiOkResponse({ type: ObjectionView, isArray: true })
  objections(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<ObjectionView[]> {
    return this.announcement.list(actor, id);
  }

  @Roles(Role.Seller)
  @Post(':id/objections/:objectionId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'The seller answers an objection' })
  @ApiOkResponse({ type: ObjectionView })
  @ApiProblems(NOT_YOURS, [409, 'The objection is closed (LISTING.OBJECTION_CLOSED)'])
  answer(
    @Param('id', Id()) id: string,
    @Param('objectionId', Id()) objectionId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ObjectionAnswerInput,
  ): Promise<ObjectionView> {
    return this.announcement.answer(actor, id, objectionId, input.answer);
  }

  @Roles(Role.Admin)
  @Post(':id/objections/:objectionId/ruling')
  @HttpCode(200)
  @ApiOperation({ summary: 'An admin rules: upheld withdraws the listing, dismissed resumes the announcement' })
  @ApiOkResponse({ type: ObjectionView })
  @ApiProblems([409, 'The objection is closed (LISTING.OBJECTION_CLOSED)'])
  rule(
    @Param('id', Id()) id: string,
    @Param('objectionId', Id()) objectionId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ObjectionRulingInput,
  ): Promise<ObjectionView> {
    return this.announcement.rule(actor, id, objectionId, input.decision, input.reason);
  }

  @Roles(Role.Buyer)
  @Post(':id/intents')
  @ApiOperation({ summary: 'Register intent at the asking price on an open listed-price listing' })
  @ApiCreatedResponse({ type: IntentView })
  @ApiProblems(
    [
      409,
      'Not open, the period is over, or your organization already registered (LISTING.INVALID_STATE, LISTING.LISTING_PERIOD_OVER, LISTING.INTENT_EXISTS)',
    ],
    [
      422,
      'Not a listed-price listing, your own, another price, or your organization is not verified (LISTING.NOT_LISTED_PRICE, LISTING.OWN_LISTING, LISTING.INTENT_PRICE_MISMATCH, LISTING.ORGANIZATION_NOT_VERIFIED)',
    ],
  )
  intend(@Param('id', Id()) id: string, @CurrentActor() actor: Actor, @Body() input: IntentInput): Promise<IntentView> {
    return this.trading.registerIntent(actor, id, input.priceFen);
  }

  @Get(':id/intents')
  @ApiOperation({ summary: 'Intents: all for the seller and admins, your own otherwise' })
  @ApiOkResponse({ type: IntentView, isArray: true })
  intents(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<IntentView[]> {
    return this.trading.listIntents(actor, id);
  }
}
