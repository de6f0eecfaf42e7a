import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import { PackageInput, PackagePage, PackageQuery, PackageView } from '../dto/trading.dto';
import { PackagesService } from '../packages.service';

@ApiTags('packages')
@IdempotentPosts()
@Controller('packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Roles(Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Publish an achievement package (科技成果包) of public listings' })
  @ApiCreatedResponse({ type: PackageView })
  @ApiProblems([422, 'A listing that is not public (LISTING.PACKAGE_LISTINGS_NOT_PUBLIC, with `listingIds`)'])
  publish(@CurrentActor() actor: Actor, @Body() input: PackageInput): Promise<PackageView> {
    return this.packages.publish(actor, input);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Achievement packages, newest issue first' })
  @ApiOkResponse({ type: PackagePage })
  list(@Query() query: PackageQuery): Promise<PackagePage> {
    return this.packages.list(query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'An achievement package with its listings' })
  @ApiOkResponse({ type: PackageView })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PackageView> {
    return this.packages.get(id);
  }
}
