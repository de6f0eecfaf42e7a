import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { AccountsService } from '../accounts.service';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ensurePrivateVisible } from '../auth/organization-scope';
import { Role } from '../domain/role';
import {
  AddMemberInput,
  MemberView,
  OrganizationInput,
  OrganizationPage,
  OrganizationQuery,
  OrganizationRegistryInput,
  OrganizationView,
} from '../dto/identity.dto';
import { OrganizationsService } from '../organizations.service';

@ApiTags('organizations')
@IdempotentPosts()
@Controller('orgs')
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly accounts: AccountsService,
  ) {}

  @Roles(Role.Admin)
  @Post()
  @ApiOperation({ summary: 'Register an organization of any kind (admin)' })
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiProblems([409, 'The credit code is already registered (IDENTITY.ORGANIZATION_EXISTS)'])
  async create(@Body() input: OrganizationInput): Promise<OrganizationView> {
    return OrganizationsService.toView(await this.organizations.create(input));
  }

  @Roles(Role.Admin)
  @Get()
  @ApiOperation({
    summary:
      'Organizations, all or by verification (admin): `verified=false` is the queue of those to verify, longest waiting first',
  })
  @ApiOkResponse({ type: OrganizationPage })
  @ApiProblems(400)
  list(@Query() query: OrganizationQuery): Promise<OrganizationPage> {
    return this.organizations.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Public profile of an organization' })
  @ApiOkResponse({ type: OrganizationView })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<OrganizationView> {
    return OrganizationsService.toView(await this.organizations.get(id));
  }

  @Roles(Role.Admin)
  @Patch(':id/registry')
  @ApiOperation({ summary: 'Record the legal representative and registered address from the business licence (admin)' })
  @ApiOkResponse({ type: OrganizationView })
  @ApiProblems(404)
  updateRegistry(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: OrganizationRegistryInput,
  ): Promise<OrganizationView> {
    return this.organizations.updateRegistry(id, input);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members of an organization (its own members and admins only)' })
  @ApiOkResponse({ type: MemberView, isArray: true })
  async members(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<MemberView[]> {
    ensurePrivateVisible(actor, id, 'organization', id);
    await this.organizations.get(id);
    return this.accounts.listMembers(id);
  }

  @Roles(Role.Admin)
  @Post(':id/members')
  @ApiOperation({ summary: 'Add an account to an organization, with any roles (admin)' })
  @ApiCreatedResponse({ type: MemberView })
  @ApiProblems([409, 'The e-mail is already registered (IDENTITY.EMAIL_TAKEN)'])
  addMember(@Param('id', ParseUUIDPipe) id: string, @Body() input: AddMemberInput): Promise<MemberView> {
    return this.accounts.addMember(id, input);
  }

  @Roles(Role.Admin)
  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify an organization (admin); its members are notified' })
  @ApiOkResponse({ type: OrganizationView })
  @ApiProblems([409, 'Already verified (IDENTITY.ALREADY_VERIFIED)'])
  verify(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<OrganizationView> {
    return this.organizations.verify(id, actor);
  }
}
