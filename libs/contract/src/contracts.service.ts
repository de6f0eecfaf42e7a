import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AuditEntryView, AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { isUuid, ValidationFailedError } from '@market/http';
import { AccountsService, Actor, OrganizationsService, Role } from '@market/identity';
import { ListingsService } from '@market/listing';
import { BatchedJob, JobName, OnJobBatch, QueueName, TradeAgreedPayload } from '@market/queue';
import { BrokersService } from './brokers.service';
import { ContractErrors } from './contract.errors';
import { toContractSummaryView, toContractView } from './contract-views';
import { mayEditContract, mayReadContract, signingSide } from './domain/contract-access';
import { ContractBroker, ContractContent, ContractParty, Pricing } from './domain/contract-content';
import { checkContract } from './domain/contract-rules';
import { AMENDABLE_STATUSES, ContractStatus, moveContract, sign } from './domain/contract-state';
import { contentHash } from './domain/canonical';
import { draftFromTrade, partyKindOf } from './domain/drafting';
import {
  AmendContractInput,
  ContractContentInput,
  ContractListQuery,
  ContractPage,
  ContractView,
  CreateContractInput,
  SignContractInput,
} from './dto/contract.dto';
import { Contract, ContractSource } from './entities/contract.entity';
import { ContractVersion } from './entities/contract-version.entity';
import { ContractRegistration } from './entities/contract-registration.entity';
import { toRegistrationView } from './registration-views';

/** What drafting a batch of trades reads before its transaction. */
interface TradeFacts {
  facts: Awaited<ReturnType<ListingsService['contractFactsOf']>>;
  organizations: Awaited<ReturnType<OrganizationsService['getMany']>>;
}

/** States in which a change needs a change registration (变更登记). */
const REGISTERED_STATUSES: readonly ContractStatus[] = [ContractStatus.Registered, ContractStatus.Performing];

/**
 * Contracts from draft to signature: drafted from every agreed trade (once per trade), or entered by
 * a broker for its clients; edited by the parties (and their broker) while nobody has signed;
 * signed by an authorized user of each party over a frozen, hashed version; amended as a new
 * version both sign again.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly accounts: AccountsService,
    private readonly listings: ListingsService,
    private readonly brokers: BrokersService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  private get contracts() {
    return this.txHost.tx.getRepository(Contract);
  }

  private get versions() {
    return this.txHost.tx.getRepository(ContractVersion);
  }

  /**
   * Every `trade.agreed` (listed trade, auction, negotiation) becomes one draft, pre-filled from the
   * trade's terms and its listing. The events the worker holds at once are drafted together, with as
   * few round trips to PostgreSQL as the work allows — each costs more than the statement it carries:
   *
   * 1. the listings and the organizations are read at once, on two pool connections, before the
   *    batch's transaction opens (`readTradeFacts`: facts a later delivery could not change);
   * 2. the drafts are made here, with their contract ids, so that contents and audit entries are
   *    ready before anything is written;
   * 3. one statement inserts the contracts, their first versions and the first entries of their
   *    audit chains. `contract_trade_uq` keeps a draft single: a trade drafted before, or by a
   *    concurrent batch meanwhile, loses on it, and its version and audit entry go with it.
   *
   * A second delivery of the same trade — in a later batch, or in this one under another job id —
   * finds its draft and adds nothing.
   */
  @OnJobBatch(QueueName.Contracts, JobName.TradeAgreed, { readFirst: 'readTradeFacts' })
  async onTradesAgreed(jobs: BatchedJob<JobName.TradeAgreed>[], read: TradeFacts): Promise<void> {
    const { facts, organizations } = read;
    const byTrade = new Map<string, TradeAgreedPayload>();
    for (const { payload } of jobs) if (!byTrade.has(payload.tradeId)) byTrade.set(payload.tradeId, payload);
    // In trade order, so concurrent batches meet on contract_trade_uq in the same order.
    const trades = [...byTrade.values()].sort((a, b) => (a.tradeId < b.tradeId ? -1 : 1));
    const drafts = trades.map((payload) => {
      const listing = facts.get(payload.listingId);
      const commission = payload.terms.commission;
      const broker: ContractBroker | null = commission
        ? {
            organizationId: commission.brokerOrganizationId,
            userId: commission.brokerUserId,
            name: organizations.get(commission.brokerOrganizationId)!.name,
            commissionRateBasisPoints: commission.rateBasisPoints,
            commissionFixedFen: commission.fixedFen,
            commissionPaidBy: commission.paidBy,
          }
        : null;
      const content = draftFromTrade(
        {
          tradeId: payload.tradeId,
          listingTitle: payload.listingTitle,
          agreedAt: payload.agreedAt,
          terms: payload.terms,
          technicalField: listing?.technicalField ?? null,
          ipItems: (payload.terms.ipItems ?? listing?.ipItems ?? []).map((item) => ({
            ...item,
            number: item.number ?? null,
          })),
        },
        partyOf(organizations.get(payload.sellerOrganizationId)!),
        partyOf(organizations.get(payload.buyerOrganizationId)!),
        broker,
      );
      return { id: randomUUID(), payload, content };
    });
    const opened = this.audit.startManyStatement(
      drafts.map((d) => ({
        chain: `contract:${d.id}`,
        actorId: null,
        action: 'contract.drafted',
        detail: { source: d.payload.source, tradeId: d.payload.tradeId, status: ContractStatus.Draft },
      })),
      11,
    );
    await this.txHost.tx.query(
      `WITH made AS (
         INSERT INTO contract (id, trade_id, source, listing_id, seller_organization_id, buyer_organization_id,
                               broker_organization_id, project_name, total_amount_fen)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[],
                              $8::text[], $9::bigint[])
         ON CONFLICT (trade_id) DO NOTHING RETURNING id
       ), first_version AS (
         INSERT INTO contract_version (contract_id, version, content)
         SELECT v.contract_id, 1, v.content FROM unnest($1::uuid[], $10::jsonb[]) AS v (contract_id, content)
           JOIN made ON made.id = v.contract_id
       ), audit_opened AS (
         ${opened.sql}
          WHERE link.chain IN (SELECT 'contract:' || id FROM made)
       )
       SELECT count(*) FROM made`,
      [
        drafts.map((d) => d.id),
        drafts.map((d) => d.payload.tradeId),
        drafts.map((d) => d.payload.source),
        drafts.map((d) => d.payload.listingId),
        drafts.map((d) => d.content.seller.organizationId),
        drafts.map((d) => d.content.buyer.organizationId),
        drafts.map((d) => d.content.broker?.organizationId ?? null),
        drafts.map((d) => d.content.projectName),
        drafts.map((d) => String(d.content.totalAmountFen)),
        drafts.map((d) => JSON.stringify(d.content)),
        ...opened.params,
      ],
    );
  }

  /** What drafting a batch of trades reads, before its transaction (see `onTradesAgreed`). */
  async readTradeFacts(jobs: BatchedJob<JobName.TradeAgreed>[]): Promise<TradeFacts> {
    const trades = jobs.map((j) => j.payload);
    return this.txHost.withTransaction(Propagation.NotSupported, async () => {
      const [facts, organizations] = await Promise.all([
        this.listings.contractFactsOf(trades.map((t) => t.listingId)),
        this.organizations.getMany(
          trades.flatMap((t) => [
            t.sellerOrganizationId,
            t.buyerOrganizationId,
            ...(t.terms.commission ? [t.terms.commission.brokerOrganizationId] : []),
          ]),
        ),
      ]);
      return { facts, organizations };
    });
  }

  /** A broker enters a contract for organizations that named its agency their broker. */
  async createByBroker(actor: Actor, input: CreateContractInput): Promise<ContractView> {
    const { sellerOrganizationId, buyerOrganizationId } = input;
    if (sellerOrganizationId === buyerOrganizationId) throw ContractErrors.sameParty();
    const clients = await this.brokers.clientsAmong(actor.organizationId, [sellerOrganizationId, buyerOrganizationId]);
    if (clients.length === 0) throw ContractErrors.notClient([sellerOrganizationId, buyerOrganizationId]);
    if (!input.projectName)
      throw new ValidationFailedError([{ field: 'projectName', message: 'projectName is required' }]);
    const organizations = await this.organizations.getMany([
      sellerOrganizationId,
      buyerOrganizationId,
      actor.organizationId,
    ]);
    const [seller, buyer] = [sellerOrganizationId, buyerOrganizationId].map((id) => partyOf(organizations.get(id)!));
    const agency = organizations.get(actor.organizationId)!;
    const blank: ContractContent = {
      contractType: null,
      subKind: null,
      projectName: input.projectName,
      technicalField: null,
      seller,
      buyer,
      broker: {
        organizationId: agency.id,
        userId: actor.userId,
        name: agency.name,
        commissionRateBasisPoints: input.commissionRateBasisPoints ?? null,
        commissionFixedFen: input.commissionFixedFen ?? null,
        commissionPaidBy: input.commissionPaidBy ?? 'seller',
      },
      validFrom: null,
      validUntil: null,
      totalAmountFen: 0,
      technologyAmountFen: 0,
      nonTechnicalItems: [],
      expectedNewInvestmentFen: null,
      expectedNewOutputFen: null,
      ipItems: [],
      governmentPlan: null,
      transferMode: null,
      license: null,
      pricing: Pricing.Fixed,
      royalty: null,
      milestones: [],
    };
    const content = applyEdit(blank, input);
    const contract = await this.contracts.save(
      this.contracts.create({
        tradeId: null,
        source: 'broker' as ContractSource,
        listingId: null,
        status: ContractStatus.Draft,
        currentVersion: 1,
        sellerOrganizationId,
        buyerOrganizationId,
        brokerOrganizationId: agency.id,
        registryOfficeId: null,
        projectName: content.projectName,
        totalAmountFen: content.totalAmountFen,
        createdBy: actor.userId,
        closedReason: null,
      }),
    );
    await this.versions.save(
      this.versions.create({ contractId: contract.id, version: 1, content, createdBy: actor.userId }),
    );
    await this.audit.append(`contract:${contract.id}`, {
      actorId: actor.userId,
      action: 'contract.drafted',
      detail: { source: 'broker', status: ContractStatus.Draft },
    });
    return this.detail(contract);
  }

  async list(actor: Actor, query: ContractListQuery): Promise<ContractPage> {
    const qb = this.contracts.createQueryBuilder('c');
    if (!actor.roles.includes(Role.Admin)) {
      const audiences = [
        'c.seller_organization_id = :org',
        'c.buyer_organization_id = :org',
        'c.broker_organization_id = :org',
      ];
      if (actor.roles.includes(Role.Auditor)) audiences.push(`(c.registry_office_id = :org AND c.status <> 'draft')`);
      qb.where(`(${audiences.join(' OR ')})`, { org: actor.organizationId });
    }
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    const [rows, total] = await qb
      .orderBy('c.updated_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { total, items: rows.map(toContractSummaryView) };
  }

  async view(actor: Actor, id: string): Promise<ContractView> {
    return this.detail(await this.findVisible(actor, id));
  }

  /** The contract's audit chain, for those who may see the contract. */
  async auditTrail(actor: Actor, id: string): Promise<AuditEntryView[]> {
    await this.findVisible(actor, id);
    const entries = await this.audit.entries(`contract:${id}`);
    return entries.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      actorId: e.actorId,
      action: e.action,
      reason: e.reason,
      detail: e.detail,
      prevHash: e.prevHash,
      hash: e.hash,
    }));
  }

  private async detail(contract: Contract): Promise<ContractView> {
    const latest = await this.txHost.tx
      .getRepository(ContractRegistration)
      .findOne({ where: { contractId: contract.id }, order: { createdAt: 'DESC', id: 'DESC' } });
    return toContractView(contract, await this.versionsOf(contract.id), latest && toRegistrationView(latest));
  }

  /** Either party (or their broker) edits a draft nobody has signed yet. */
  async updateDraft(actor: Actor, id: string, input: ContractContentInput): Promise<ContractView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.lockEditable(actor, id);
      if (contract.status !== ContractStatus.Draft) throw ContractErrors.invalidState(contract.status, 'be edited');
      const version = await this.currentVersion(contract);
      if (version.contentHash) throw ContractErrors.frozen(version.version);
      version.content = applyEdit(version.content, input);
      await this.versions.save(version);
      this.syncSummary(contract, version.content);
      await this.contracts.save(contract);
      return this.detail(contract);
    });
  }

  /**
   * A change after someone signed: a new version with the change, both parties to sign it again;
   * the old version is kept as signed. A signed or refused contract goes back to draft.
   */
  async amend(actor: Actor, id: string, input: AmendContractInput): Promise<ContractView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.lockEditable(actor, id);
      if (REGISTERED_STATUSES.includes(contract.status)) return this.amendRegistered(actor, contract, input);
      const old = await this.currentVersion(contract);
      const partlySigned = contract.status === ContractStatus.Draft && old.contentHash !== null;
      if (!partlySigned && !AMENDABLE_STATUSES.includes(contract.status)) {
        throw ContractErrors.invalidState(contract.status, 'be amended');
      }
      const { reason, ...change } = input;
      const content = applyEdit(old.content, change);
      if (contract.status !== ContractStatus.Draft) moveContract(contract, ContractStatus.Draft, 'be amended');
      contract.currentVersion = old.version + 1;
      this.syncSummary(contract, content);
      await this.contracts.save(contract);
      await this.versions.save(
        this.versions.create({
          contractId: id,
          version: contract.currentVersion,
          content,
          amendmentReason: reason,
          createdBy: actor.userId,
        }),
      );
      await this.audit.append(`contract:${id}`, {
        actorId: actor.userId,
        action: 'contract.amended',
        reason,
        detail: { version: contract.currentVersion, status: contract.status },
      });
      return this.detail(contract);
    });
  }

  /**
   * An authorized user of a party signs the version it read. The content must break no rule; the
   * first signature freezes it and stores its SHA-256 over the canonical form; the second makes the
   * contract signed.
   */
  async sign(actor: Actor, id: string, input: SignContractInput): Promise<ContractView> {
    return this.txHost.withTransaction(async () => {
      const contract = await this.lockVisible(actor, id);
      const side = signingSide(actor, contract);
      if (!side) throw ContractErrors.notAParty();
      if (REGISTERED_STATUSES.includes(contract.status)) return this.signAmendment(actor, contract, side, input);
      if (contract.status !== ContractStatus.Draft) throw ContractErrors.invalidState(contract.status, 'be signed');
      if (input.version !== contract.currentVersion) throw ContractErrors.staleVersion(contract.currentVersion);
      const version = await this.currentVersion(contract);
      const violations = checkContract(version.content);
      if (violations.length > 0) throw ContractErrors.rulesBroken(violations);
      version.contentHash ??= contentHash(contract.id, version.version, version.content);
      const { complete } = sign(version, side, actor.userId, this.clock.now());
      await this.versions.save(version);
      if (complete) moveContract(contract, ContractStatus.Signed, 'be signed');
      await this.contracts.save(contract);
      await this.audit.append(`contract:${id}`, {
        actorId: actor.userId,
        action: complete ? 'contract.signed' : 'contract.signature',
        detail: { side, version: version.version, contentHash: version.contentHash, status: contract.status },
      });
      return this.detail(contract);
    });
  }

  /**
   * A change to a registered contract: a new version beside the registered one, which stays in force
   * until both parties have signed the change and the office registers it (变更登记).
   */
  private async amendRegistered(actor: Actor, contract: Contract, input: AmendContractInput): Promise<ContractView> {
    const versions = await this.versionsOf(contract.id);
    const latest = versions[versions.length - 1];
    const { reason, ...change } = input;
    const content = applyEdit(latest.content, change);
    const version = latest.version + 1;
    await this.versions.save(
      this.versions.create({
        contractId: contract.id,
        version,
        content,
        amendmentReason: reason,
        createdBy: actor.userId,
      }),
    );
    await this.audit.append(`contract:${contract.id}`, {
      actorId: actor.userId,
      action: 'contract.amended',
      reason,
      detail: { version, status: contract.status, pendingChangeRegistration: true },
    });
    return this.detail(contract);
  }

  /** A signature on the pending change of a registered contract (the newest version). */
  private async signAmendment(
    actor: Actor,
    contract: Contract,
    side: 'seller' | 'buyer',
    input: SignContractInput,
  ): Promise<ContractView> {
    const version = await this.pendingChange(contract);
    if (!version) throw ContractErrors.invalidState(contract.status, 'be signed without a pending change');
    if (input.version !== version.version) throw ContractErrors.staleVersion(version.version);
    const violations = checkContract(version.content);
    if (violations.length > 0) throw ContractErrors.rulesBroken(violations);
    version.contentHash ??= contentHash(contract.id, version.version, version.content);
    const { complete } = sign(version, side, actor.userId, this.clock.now());
    await this.versions.save(version);
    await this.audit.append(`contract:${contract.id}`, {
      actorId: actor.userId,
      action: complete ? 'contract.change_signed' : 'contract.signature',
      detail: { side, version: version.version, contentHash: version.contentHash, status: contract.status },
    });
    return this.detail(contract);
  }

  /** The newest version of a registered contract when it is newer than the one in force. */
  async pendingChange(contract: Contract): Promise<ContractVersion | null> {
    const latest = await this.versions.findOne({ where: { contractId: contract.id }, order: { version: 'DESC' } });
    return latest && latest.version > contract.currentVersion ? latest : null;
  }

  /** The office registered the change: the new version is in force. */
  async putChangeInForce(contract: Contract, version: number): Promise<void> {
    const row = await this.versions.findOneByOrFail({ contractId: contract.id, version });
    contract.currentVersion = version;
    this.syncSummary(contract, row.content);
    await this.contracts.save(contract);
  }

  // ---- for the registration and performance services ----

  async lock(id: string): Promise<Contract> {
    const contract = isUuid(id)
      ? await this.contracts.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!contract) throw ContractErrors.notFound(id);
    return contract;
  }

  async lockVisible(actor: Actor, id: string): Promise<Contract> {
    const contract = await this.lock(id);
    if (!mayReadContract(actor, contract)) throw ContractErrors.notFound(id);
    return contract;
  }

  async currentVersion(contract: Contract): Promise<ContractVersion> {
    const version = await this.versions.findOneBy({ contractId: contract.id, version: contract.currentVersion });
    if (!version) throw new Error(`contract ${contract.id} lacks its version ${contract.currentVersion}`);
    return version;
  }

  versionsOf(contractId: string): Promise<ContractVersion[]> {
    return this.versions.find({ where: { contractId }, order: { version: 'ASC' } });
  }

  private async findVisible(actor: Actor, id: string): Promise<Contract> {
    const contract = isUuid(id) ? await this.contracts.findOneBy({ id }) : null;
    if (!contract || !mayReadContract(actor, contract)) throw ContractErrors.notFound(id);
    return contract;
  }

  private async lockEditable(actor: Actor, id: string): Promise<Contract> {
    const contract = await this.lockVisible(actor, id);
    if (!mayEditContract(actor, contract)) throw ContractErrors.notEditor();
    return contract;
  }

  private syncSummary(contract: Contract, content: ContractContent): void {
    contract.projectName = content.projectName;
    contract.totalAmountFen = content.totalAmountFen;
  }
}

type OrganizationFacts = Pick<Awaited<ReturnType<OrganizationsService['get']>>, 'id' | 'name' | 'kind' | 'regionCode'>;

function partyOf(organization: OrganizationFacts): ContractParty {
  return {
    organizationId: organization.id,
    name: organization.name,
    kind: partyKindOf(organization.kind),
    regionCode: organization.regionCode,
  };
}

const EDITABLE_FIELDS = [
  'contractType',
  'subKind',
  'projectName',
  'technicalField',
  'validFrom',
  'validUntil',
  'totalAmountFen',
  'technologyAmountFen',
  'nonTechnicalItems',
  'expectedNewInvestmentFen',
  'expectedNewOutputFen',
  'ipItems',
  'governmentPlan',
  'license',
  'pricing',
  'royalty',
  'milestones',
] as const satisfies readonly (keyof ContractContentInput & keyof ContractContent)[];

/** The content with the fields an edit sends replaced (a field left out stays as it was). */
export function applyEdit(content: ContractContent, input: ContractContentInput): ContractContent {
  const next: ContractContent = structuredClone(content);
  const target = next as unknown as Record<string, unknown>;
  for (const field of EDITABLE_FIELDS) {
    const value = (input as Record<string, unknown>)[field];
    if (value !== undefined) target[field] = structuredClone(value);
  }
  next.milestones = next.milestones.map((m) => ({
    key: m.key,
    kind: m.kind,
    title: m.title,
    dueOn: m.dueOn ?? null,
    amountFen: m.amountFen ?? null,
    prepaid: m.prepaid ?? false,
  }));
  next.ipItems = next.ipItems.map((item) => ({
    kind: item.kind,
    number: item.number ?? null,
    legalStatus: item.legalStatus,
    ...(item.filingDate ? { filingDate: item.filingDate } : {}),
  }));
  return next;
}
