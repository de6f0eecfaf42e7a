import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import {
  RelationInput,
  RelationPage,
  RelationQuery,
  RelationsImportInput,
  RelationsImportView,
  RelationUpdate,
  RelationView,
} from '../dto/relations.dto';
import { RelationsService } from '../relations.service';

/** The organization-relations table (admins only): what the related-parties rule reads. */
@ApiTags('risk')
@IdempotentPosts()
@Roles(Role.Admin)
@Controller('risk/relations')
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Get()
  @ApiOperation({ summary: 'Organization relations, newest change first (admin)' })
  @ApiOkResponse({ type: RelationPage })
  list(@Query() query: RelationQuery): Promise<RelationPage> {
    return this.relations.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Record a relation between two organizations (admin)' })
  @ApiCreatedResponse({ type: RelationView })
  @ApiProblems(
    [409, 'The two organizations already have a relation of this kind (RISK.RELATION_EXISTS, with `relationId`)'],
    [422, 'A shareholding without its share, a share on another kind, one organization twice (RISK.RELATION_INVALID)'],
  )
  create(@CurrentActor() actor: Actor, @Body() input: RelationInput): Promise<RelationView> {
    return this.relations.create(actor, input);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import relations from CSV (admin): all lines or none; a known relation is updated' })
  @ApiOkResponse({ type: RelationsImportView })
  @ApiProblems([422, 'A line is wrong: nothing imported (RISK.CSV_INVALID, with `problems`: line and message)'])
  import(@CurrentActor() actor: Actor, @Body() input: RelationsImportInput): Promise<RelationsImportView> {
    return this.relations.import(actor, input.csv);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a relation’s share, names or source (admin)' })
  @ApiOkResponse({ type: RelationView })
  @ApiProblems(404, [422, 'The change breaks the relation’s rules (RISK.RELATION_INVALID)'])
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() input: RelationUpdate): Promise<RelationView> {
    return this.relations.update(actor, id, input);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a relation (admin); answers the relation deleted' })
  @ApiOkResponse({ type: RelationView })
  @ApiProblems(404)
  remove(@Param('id') id: string): Promise<RelationView> {
    return this.relations.remove(id);
  }
}
