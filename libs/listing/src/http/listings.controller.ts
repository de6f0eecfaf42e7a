import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotentPosts } from '@market/http';
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

@ApiTags('listings')
@ApiBearerAuth()
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
  find(@Query() query: ListingSearchQuery): Promise<ListingPage> {
    return this.search.search(query);
  }

  @Roles(Role.Seller)
  @Post()
  @ApiOperation({ summary: 'Create a draft listing for your organization' })
  create(@CurrentActor() actor: Actor, @Body() input: CreateListingInput): Promise<OwnListingView> {
    return this.listings.create(actor, input);
  }

  @Roles(Role.Seller)
  @Get('mine')
  @ApiOperation({ summary: 'Your organization’s listings in every state' })
  mine(@CurrentActor() actor: Actor): Promise<OwnListingView[]> {
    return this.listings.mine(actor);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'A listing: public once announced; drafts only to their organization' })
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor | undefined): Promise<ListingView> {
    return this.listings.view(actor, id);
  }

  @Roles(Role.Seller)
  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft' })
  update(@Param('id', Id()) id: string, @CurrentActor() actor: Actor, @Body() input: UpdateListingInput) {
    return this.listings.update(actor, id, input);
  }

  @Roles(Role.Seller)
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft for review (the organization must be verified)' })
  submit(@Param('id', Id()) id: string, @CurrentActor() actor: Actor) {
    return this.listings.submit(actor, id);
  }

  @Roles(Role.Admin)
  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a submitted listing: its announcement (公示) starts' })
  approve(@Param('id', Id()) id: string, @CurrentActor() actor: Actor) {
    return this.listings.approve(actor, id);
  }

  @Roles(Role.Admin)
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a submitted listing back to draft, with the reason' })
  reject(@Param('id', Id()) id: string, @Body() input: RejectionInput) {
    return this.listings.reject(id, input.reason);
  }

  @Roles(Role.Seller)
  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a listing that is not yet under contract' })
  withdraw(@Param('id', Id()) id: string, @CurrentActor() actor: Actor) {
    return this.listings.withdraw(actor, id);
  }

  @Post(':id/objections')
  @ApiOperation({ summary: 'Object (异议) to an announced listing; pauses the announcement' })
  object(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ObjectionInput,
  ): Promise<ObjectionView> {
    return this.announcement.object(actor, id, input.reason);
  }

  @Get(':id/objections')
  @ApiOperation({ summary: 'Objections: all for the seller and admins, your own otherwise' })
  objections(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<ObjectionView[]> {
    return this.announcement.list(actor, id);
  }

  @Roles(Role.Seller)
  @Post(':id/objections/:objectionId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'The seller answers an objection' })
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
  intend(@Param('id', Id()) id: string, @CurrentActor() actor: Actor, @Body() input: IntentInput): Promise<IntentView> {
    return this.trading.registerIntent(actor, id, input.priceFen);
  }

  @Get(':id/intents')
  @ApiOperation({ summary: 'Intents: all for the seller and admins, your own otherwise' })
  intents(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<IntentView[]> {
    return this.trading.listIntents(actor, id);
  }
}
