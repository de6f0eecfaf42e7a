import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, IdempotentPosts } from '@market/http';
import { Actor, CurrentActor, Role, Roles } from '@market/identity';
import { AuditEntryView } from '@market/audit';
import { ContractsService } from '../contracts.service';
import { ReasonInput, RegistrationView } from '../dto/registration.dto';
import { DepositOpening } from '@market/payments';
import { CertificateService } from '../certificate.service';
import {
  EvidenceUploadForm,
  MilestonePaymentInput,
  MilestoneProgressView,
  readEvidenceForm,
} from '../dto/performance.dto';
import { PerformanceService } from '../performance.service';
import { RegistrationService } from '../registration.service';
import {
  AmendContractInput,
  ContractContentInput,
  ContractListQuery,
  ContractPage,
  ContractView,
  CreateContractInput,
  SignContractInput,
} from '../dto/contract.dto';

const Id = () => new ParseUUIDPipe();
const NOT_FOUND: [number, string] = [
  404,
  'No such contract, or not visible to you: parties, their broker, the office in charge and admins only',
];
const WRONG_STATE: [number, string] = [
  409,
  'The contract’s status or version forbids this (CONTRACT.INVALID_STATE, CONTRACT.VERSION_FROZEN, CONTRACT.STALE_VERSION, CONTRACT.ALREADY_SIGNED)',
];
const VIEW = { type: ContractView, description: 'The contract with its current content, versions and rule violations' };

@ApiTags('contracts')
@IdempotentPosts()
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly registrations: RegistrationService,
    private readonly certificates: CertificateService,
    private readonly performance: PerformanceService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Contracts you may see: your organization’s as a party or broker, your office’s as an auditor',
  })
  @ApiOkResponse({ type: ContractPage })
  list(@CurrentActor() actor: Actor, @Query() query: ContractListQuery): Promise<ContractPage> {
    return this.contracts.list(actor, query);
  }

  @Roles(Role.Broker)
  @Post()
  @ApiOperation({ summary: 'A broker enters a draft contract for organizations that named its agency their broker' })
  @ApiCreatedResponse(VIEW)
  @ApiProblems(
    [403, 'Not a broker (IDENTITY.MISSING_ROLE)'],
    [404, 'A party organization does not exist'],
    [
      422,
      'Neither party named your agency its broker, or both parties are one (CONTRACT.NOT_CLIENT, CONTRACT.SAME_PARTY)',
    ],
  )
  create(@CurrentActor() actor: Actor, @Body() input: CreateContractInput): Promise<ContractView> {
    return this.contracts.createByBroker(actor, input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A contract, with every version and the rules its content breaks' })
  @ApiOkResponse(VIEW)
  @ApiProblems(NOT_FOUND)
  get(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<ContractView> {
    return this.contracts.view(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft nobody has signed (a party or its broker)' })
  @ApiOkResponse(VIEW)
  @ApiProblems(NOT_FOUND, WRONG_STATE, [403, 'Auditors and admins read only (CONTRACT.NOT_EDITOR)'])
  update(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ContractContentInput,
  ): Promise<ContractView> {
    return this.contracts.updateDraft(actor, id, input);
  }

  @Post(':id/amendments')
  @ApiOperation({
    summary: 'Amend a signed (or partly signed, or refused) contract: a new version both parties sign again',
  })
  @ApiCreatedResponse(VIEW)
  @ApiProblems(NOT_FOUND, WRONG_STATE, [403, 'Auditors and admins read only (CONTRACT.NOT_EDITOR)'])
  amend(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: AmendContractInput,
  ): Promise<ContractView> {
    return this.contracts.amend(actor, id, input);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the current version for your party; the first signature freezes and hashes it' })
  @ApiOkResponse(VIEW)
  @ApiProblems(
    NOT_FOUND,
    WRONG_STATE,
    [403, 'Not a member of a party with the seller or buyer role (CONTRACT.NOT_A_PARTY)'],
    [422, 'The content breaks rules, each named in `violations` (CONTRACT.RULES_BROKEN)'],
  )
  sign(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: SignContractInput,
  ): Promise<ContractView> {
    return this.contracts.sign(actor, id, input);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply for registration (卖方登记): the seller side, to the office covering its region' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(
    NOT_FOUND,
    [
      409,
      'Not signed (CONTRACT.INVALID_STATE), or no office covers the seller’s region (CONTRACT.REGION_NOT_COVERED, with `regionCode`)',
    ],
    [403, 'Not a member of the seller with a trading role (CONTRACT.NOT_SELLER_SIDE)'],
  )
  submit(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<RegistrationView> {
    return this.registrations.submit(actor, id);
  }

  @Post(':id/registration/documents')
  @HttpCode(200)
  @ApiOperation({ summary: 'Supply the documents the office asked for: the decision period starts again in full' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(
    NOT_FOUND,
    [409, 'No documents were asked for (CONTRACT.REGISTRATION_STATE)'],
    [403, 'Not the seller side (CONTRACT.NOT_SELLER_SIDE)'],
  )
  supplyDocuments(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<RegistrationView> {
    return this.registrations.supplyDocuments(actor, id, input.reason);
  }

  @Post(':id/registration/objection')
  @HttpCode(200)
  @ApiOperation({ summary: 'Object (异议) to a refusal, once; another auditor of the office rules on it' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(
    NOT_FOUND,
    [409, 'Not refused, or already objected to (CONTRACT.REGISTRATION_STATE, CONTRACT.OBJECTION_TAKEN)'],
    [403, 'Not the seller side (CONTRACT.NOT_SELLER_SIDE)'],
  )
  object(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<RegistrationView> {
    return this.registrations.object(actor, id, input.reason);
  }

  @Post(':id/change-registration')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply for change registration (变更登记) of a registered contract’s signed amendment' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(
    NOT_FOUND,
    [409, 'Not registered, no change both parties signed, or an application is open (CONTRACT.INVALID_STATE)'],
    [403, 'Not the seller side (CONTRACT.NOT_SELLER_SIDE)'],
  )
  change(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<RegistrationView> {
    return this.registrations.requestChange(actor, id);
  }

  @Post(':id/cancellation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply for cancellation registration (注销登记) of a registered contract ended early' })
  @ApiOkResponse({ type: RegistrationView })
  @ApiProblems(
    NOT_FOUND,
    [409, 'Not registered, or an application is open (CONTRACT.INVALID_STATE)'],
    [403, 'Not the seller side (CONTRACT.NOT_SELLER_SIDE)'],
  )
  cancel(
    @Param('id', Id()) id: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<RegistrationView> {
    return this.registrations.requestCancellation(actor, id, input.reason);
  }

  @Get(':id/audit')
  @ApiOperation({ summary: 'The contract’s audit chain: every state change and decision, who, when, why' })
  @ApiOkResponse({ type: AuditEntryView, isArray: true })
  @ApiProblems(NOT_FOUND)
  audit(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<AuditEntryView[]> {
    return this.contracts.auditTrail(actor, id);
  }

  @Get(':id/registration-certificate')
  @ApiOperation({ summary: 'The registration certificate, a printable PDF with its verification address' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The certificate (技术合同登记证明)',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems([404, 'No such contract visible to you, or it is not registered'])
  async certificate(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const registration = await this.registrations.registeredOf(actor, id);
    const pdf = await this.certificates.render(await this.registrations.certificateFacts(registration));
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="certificate-${registration.registrationNumber}.pdf"`,
    });
  }

  @Get(':id/milestones')
  @ApiOperation({ summary: 'Performance tracking: each milestone’s status, evidence and payment' })
  @ApiOkResponse({ type: MilestoneProgressView, isArray: true })
  @ApiProblems(NOT_FOUND)
  milestones(@Param('id', Id()) id: string, @CurrentActor() actor: Actor): Promise<MilestoneProgressView[]> {
    return this.performance.list(actor, id);
  }

  @Post(':id/milestones/:key/complete')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Deliver a deliverable milestone with evidence: a multipart/form-data upload (PDF, PNG or JPEG, ≤ 512 KiB)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: EvidenceUploadForm })
  @ApiOkResponse({ type: MilestoneProgressView })
  @ApiProblems(
    NOT_FOUND,
    [
      400,
      'No file part, another field, or a body that is not multipart/form-data (VALIDATION.FAILED, REQUEST.MALFORMED_MULTIPART)',
    ],
    [403, 'Not a member of a party (CONTRACT.NOT_A_PARTY)'],
    [409, 'Not performing, or the milestone is done (CONTRACT.NOT_PERFORMING, CONTRACT.MILESTONE_STATE)'],
    [413, 'The body is over the server’s limit (1 MiB)'],
    [
      422,
      'A payment milestone, or evidence refused by type or size (CONTRACT.MILESTONE_KIND, CONTRACT.EVIDENCE_REFUSED)',
    ],
  )
  complete(
    @Param('id', Id()) id: string,
    @Param('key') key: string,
    @CurrentActor() actor: Actor,
    // Read by readEvidenceForm, not by the validation pipe: a file part is no JSON value.
    @Body() form: unknown,
  ): Promise<MilestoneProgressView> {
    return this.performance.complete(actor, id, key, readEvidenceForm(form));
  }

  @Post(':id/milestones/:key/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept what the other party delivered' })
  @ApiOkResponse({ type: MilestoneProgressView })
  @ApiProblems(
    NOT_FOUND,
    [403, 'Not a party, or your own delivery (CONTRACT.NOT_A_PARTY, CONTRACT.OTHER_PARTY_RESOLVES)'],
    [409, 'Nothing delivered to accept (CONTRACT.MILESTONE_STATE)'],
  )
  accept(
    @Param('id', Id()) id: string,
    @Param('key') key: string,
    @CurrentActor() actor: Actor,
  ): Promise<MilestoneProgressView> {
    return this.performance.resolve(actor, id, key, 'accept');
  }

  @Post(':id/milestones/:key/dispute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dispute what the other party delivered, with the reason; it is delivered again' })
  @ApiOkResponse({ type: MilestoneProgressView })
  @ApiProblems(
    NOT_FOUND,
    [403, 'Not a party, or your own delivery (CONTRACT.NOT_A_PARTY, CONTRACT.OTHER_PARTY_RESOLVES)'],
    [409, 'Nothing delivered to dispute (CONTRACT.MILESTONE_STATE)'],
  )
  dispute(
    @Param('id', Id()) id: string,
    @Param('key') key: string,
    @CurrentActor() actor: Actor,
    @Body() input: ReasonInput,
  ): Promise<MilestoneProgressView> {
    return this.performance.resolve(actor, id, key, 'dispute', input.reason);
  }

  @Post(':id/milestones/:key/payment')
  @ApiOperation({ summary: 'Pay a payment milestone (the buyer): a card payment or a bank transfer, once' })
  @ApiCreatedResponse({ type: DepositOpening, description: 'How to complete the payment' })
  @ApiProblems(
    NOT_FOUND,
    [403, 'Not the buyer (CONTRACT.OTHER_PARTY_RESOLVES)'],
    [
      409,
      'Paid, not performing, or a payment is already open (CONTRACT.MILESTONE_STATE, PAYMENTS.DEPOSIT_ALREADY_LIVE)',
    ],
    [422, 'A deliverable milestone, or card payments are not configured (CONTRACT.MILESTONE_KIND)'],
  )
  pay(
    @Param('id', Id()) id: string,
    @Param('key') key: string,
    @CurrentActor() actor: Actor,
    @Body() input: MilestonePaymentInput,
  ): Promise<DepositOpening> {
    return this.performance.pay(actor, id, key, input.method);
  }

  @Get(':id/evidence/:evidenceId')
  @ApiOperation({ summary: 'An evidence file as uploaded (a download; its type and hash are in the milestone)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'The file',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(NOT_FOUND)
  async evidenceFile(
    @Param('id', Id()) id: string,
    @Param('evidenceId', Id()) evidenceId: string,
    @CurrentActor() actor: Actor,
  ): Promise<StreamableFile> {
    const file = await this.performance.evidenceFile(actor, id, evidenceId);
    return new StreamableFile(file.bytes, {
      type: 'application/octet-stream',
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    });
  }
}
