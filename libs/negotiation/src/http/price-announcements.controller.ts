import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import {
  PriceAnnouncementPage,
  PriceAnnouncementQuery,
  PriceObjectionInput,
  PriceObjectionRulingInput,
  PriceObjectionView,
} from '../dto/negotiation.dto';
import { PriceAnnouncementsService } from '../price-announcements.service';

const Id = () => new ParseUUIDPipe();
const NOT_FOUND = [404, 'No such announcement (a negotiation is not public unless its deal is announced)'] as [
  number,
  string,
];

/** Price announcements (交易价格公示) of deals agreed with universities and research institutes. */
@ApiTags('price-announcements')
@IdempotentPosts()
@Controller('price-announcements')
export class PriceAnnouncementsController {
  constructor(private readonly announcements: PriceAnnouncementsService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Announced deal prices: the achievement, the parties, the transfer mode and the price; newest first',
  })
  @ApiOkResponse({ type: PriceAnnouncementPage })
  list(@Query() query: PriceAnnouncementQuery): Promise<PriceAnnouncementPage> {
    return this.announcements.list(query);
  }

  @Post(':id/objections')
  @ApiOperation({ summary: 'Object (异议) to an announced price (a verified organization other than the parties)' })
  @ApiCreatedResponse({ type: PriceObjectionView })
  @ApiProblems(
    NOT_FOUND,
    [409, 'The announcement is over (NEGOTIATION.ANNOUNCEMENT_OVER)'],
    [
      422,
      'A party to the deal, or your organization is not verified (NEGOTIATION.OWN_DEAL, NEGOTIATION.ORGANIZATION_NOT_VERIFIED)',
    ],
  )
  object(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: PriceObjectionInput,
  ): Promise<PriceObjectionView> {
    return this.announcements.object(actor, id, input.reason);
  }

  @Get(':id/objections')
  @ApiOperation({ summary: 'Objections: all for the parties, their broker and admins; your own otherwise' })
  @ApiOkResponse({ type: PriceObjectionView, isArray: true })
  @ApiProblems(NOT_FOUND)
  objections(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<PriceObjectionView[]> {
    return this.announcements.listObjections(actor, id);
  }

  @Roles(Role.Admin)
  @Post(':id/objections/:objectionId/ruling')
  @HttpCode(200)
  @ApiOperation({ summary: 'An admin rules: upheld annuls the deal, dismissed resumes the announcement' })
  @ApiOkResponse({ type: PriceObjectionView })
  @ApiProblems(NOT_FOUND, [409, 'The objection is already ruled (LISTING.OBJECTION_CLOSED)'])
  rule(
    @Param('id', Id()) id: string,
    @Param('objectionId', Id()) objectionId: string,
    @CurrentActor() actor: Actor,
    @Body() input: PriceObjectionRulingInput,
  ): Promise<PriceObjectionView> {
    return this.announcements.rule(actor, id, objectionId, input.decision, input.reason);
  }
}
