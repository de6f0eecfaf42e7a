import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Public, Role, Roles } from '@market/identity';
import {
  CalendarYearInput,
  CalendarYearView,
  DecisionInput,
  ObjectionRulingInput,
  ReasonInput,
  RegistrationQueuePage,
  RegistrationQueueQuery,
  RegistrationVerificationView,
  RegistrationView,
  RegistryOfficeInput,
  RegistryOfficeView,
} from '../dto/registration.dto';
import { RegistrationService } from '../registration.service';
import { RegistryOfficesService } from '../registry-offices.service';
import { WorkingCalendarService } from '../working-calendar.service';

const Id = () => new ParseUUIDPipe();
const NO_APPLICATION: [number, string] = [
  404,
  'No application of this contract at your office (REGISTRATION.NOT_FOUND): auditors of the office in charge only',
];
const STATE: [number, string] = [409, 'The application’s status forbids this (CONTRACT.REGISTRATION_STATE)'];

@ApiTags('registrations')
@IdempotentPosts()
@Controller('registrations')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationService) {}

  @Roles(Role.Auditor)
  @Get('queue')
  @ApiOperation({ summary: 'Your office’s queue: open applications and objections, nearest deadline first, flagged' })
  @ApiOkResponse({ type: RegistrationQueuePage })
  queue(@CurrentActor() actor: Actor, @Query() query: RegistrationQueueQuery): Promise<RegistrationQueuePage> {
    return this.registrations.queue(actor, query);
  }

  @Roles(Role.Auditor)
  @Post(':contractId/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register (numbered), refuse (grounds and reason), request documents, or confirm false' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(NO_APPLICATION, STATE, [
    422,
    'A refusal without grounds or reason, or another decision without its reason (CONTRACT.DECISION_INCOMPLETE)',
  ])
  decide(
    @Param('contractId', Id()) contractId: string,
    @CurrentActor() actor: Actor,
    @Body() input: DecisionInput,
  ): Promise<RegistrationView> {
    return this.registrations.decide(actor, contractId, input);
  }

  @Roles(Role.Auditor)
  @Post(':contractId/dispute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the case disputed, with a reason: the extended period applies' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(NO_APPLICATION)
  dispute(
    @Param('contractId', Id()) contractId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<RegistrationView> {
    return this.registrations.markDisputed(actor, contractId, input.reason);
  }

  @Roles(Role.Auditor)
  @Post(':contractId/objection-ruling')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rule on an objection (异议) — by another auditor than the one who refused' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(NO_APPLICATION, STATE, [403, 'You made the decision objected to (CONTRACT.SAME_AUDITOR)'])
  ruleObjection(
    @Param('contractId', Id()) contractId: string,
    @CurrentActor() actor: Actor,
    @Body() input: ObjectionRulingInput,
  ): Promise<RegistrationView> {
    return this.registrations.ruleObjection(actor, contractId, input);
  }

  @Public()
  @Get('verify/:number')
  @ApiOperation({ summary: 'Check a registration number: what its certificate shows, nothing more (public)' })
  @ApiOkResponse({ type: RegistrationVerificationView })
  @ApiProblems([404, 'No registration has this number'])
  verify(@Param('number') number: string): Promise<RegistrationVerificationView> {
    return this.registrations.verify(number);
  }
}

@ApiTags('registrations')
@IdempotentPosts()
@Controller('registry-offices')
export class RegistryOfficesController {
  constructor(private readonly offices: RegistryOfficesService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Registry offices, their registration points and the regions they cover' })
  @ApiOkResponse({ type: RegistryOfficeView, isArray: true })
  list(): Promise<RegistryOfficeView[]> {
    return this.offices.list();
  }

  @Roles(Role.Admin)
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a registry organization an office, or change its point and regions (admin)' })
  @ApiOkResponse({ type: RegistryOfficeView })
  @ApiProblems(
    [404, 'No such organization'],
    [409, 'A region is covered by another office (CONTRACT.REGION_TAKEN)'],
    [422, 'Not a registry organization (CONTRACT.NOT_AN_OFFICE)'],
  )
  configure(@CurrentActor() actor: Actor, @Body() input: RegistryOfficeInput): Promise<RegistryOfficeView> {
    return this.offices.configure(actor, input);
  }
}

@ApiTags('registrations')
@IdempotentPosts()
@Controller('working-calendar')
export class WorkingCalendarController {
  constructor(private readonly calendar: WorkingCalendarService) {}

  @Get(':year')
  @ApiOperation({ summary: 'A year’s holidays and 调休 working days, and the notice they come from' })
  @ApiOkResponse({ type: CalendarYearView })
  view(@Param('year', ParseIntPipe) year: number): Promise<CalendarYearView> {
    return this.calendar.view(year);
  }

  @Roles(Role.Admin)
  @Post(':year')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enter or correct a year’s notice: its exceptions replace the old ones (admin)' })
  @ApiOkResponse({ type: CalendarYearView })
  replace(
    @Param('year', ParseIntPipe) year: number,
    @CurrentActor() actor: Actor,
    @Body() input: CalendarYearInput,
  ): Promise<CalendarYearView> {
    return this.calendar.replace(actor, year, input);
  }
}
