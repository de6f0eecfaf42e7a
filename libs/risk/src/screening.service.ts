import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '@market/config';
import { Clock } from '@market/clock';
import { NotFoundError } from '@market/http';
import { CreditService } from '@market/credit';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { JobName, JobPayloads, OnJob, QueueName } from '@market/queue';
import { IsNull } from 'typeorm';
import { addDays } from './domain/dates';
import { ContractFacts, contractFromFacts, ipNumbersOf, summaryFromFacts } from './domain/contract-facts';
import { RISK_RULES, RiskRule } from './domain/finding';
import { ContractScreener, ScreeningResult } from './domain/screening';
import type {
  ComparableDeal,
  ContractUnderScreening,
  Neighbourhood,
  OrganizationRelation,
  ScreenedParty,
} from './domain/screening-input';
import { ContractRiskView, RiskRulesView } from './dto/risk.dto';
import { RiskContract } from './entities/risk-contract.entity';
import { FindingDecision, RiskFinding } from './entities/risk-finding.entity';
import { RelationsService } from './relations.service';

/** How far back the rules look: a year for round trips and year-end pace, plus the year-end window. */
const LOOK_BACK_DAYS = 366 + 180;
/** Comparables: registered deals of the cell over the last three years, the most recent first. */
const COMPARABLE_YEARS = 3;
const MAX_COMPARABLES = 1_000;
const LIVE: RiskContract['status'][] = ['applied', 'registered'];

const DECISION_OF: Record<JobPayloads[JobName.RegistrationDecided]['outcome'], FindingDecision> = {
  confirmed_false: 'confirmed',
  registered: 'dismissed',
  refused: 'refused',
};

/**
 * Screening (issue 14): each registration application, handed over by the contract context's
 * screening job, is copied into `risk_contract`, run through every rule with the configured thresholds and scored;
 * its findings are kept with their evidence, and with the auditors' decision once it comes.
 */
@Injectable()
export class ScreeningService {
  private readonly screener: ContractScreener;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly relations: RelationsService,
    private readonly credit: CreditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.screener = new ContractScreener(config.risk);
  }

  private get contracts() {
    return this.txHost.tx.getRepository(RiskContract);
  }

  private get findings() {
    return this.txHost.tx.getRepository(RiskFinding);
  }

  /**
   * Screens an application (the contract context calls this from its `contract.submitted` job, in
   * that job's transaction): the facts are copied into `risk_contract`, every rule runs, and the
   * score and findings are kept. A later application of the same contract (after an amendment or
   * documents) replaces the undecided findings; an older one arriving late changes nothing.
   */
  async screenApplication(appliedAt: Date, facts: ContractFacts): Promise<ApplicationScreening> {
    const known = await this.contracts.findOne({
      where: { contractId: facts.contractId },
      lock: { mode: 'pessimistic_write' },
    });
    if (known && known.appliedAt.getTime() > appliedAt.getTime()) {
      return {
        score: known.score ?? 0,
        flagged: known.flagged ?? false,
        findings: await this.findings.countBy({ contractId: facts.contractId, decision: IsNull() }),
      };
    }
    const row = this.contracts.create({
      contractId: facts.contractId,
      registryOfficeId: facts.registryOfficeId,
      status: 'applied',
      appliedAt,
      registrationNumber: known?.registrationNumber ?? null,
      sellerOrganizationId: facts.seller.organizationId,
      buyerOrganizationId: facts.buyer.organizationId,
      contractType: facts.contractType,
      subKind: facts.subKind,
      technicalField: facts.technicalField,
      signedOn: facts.signedOn,
      totalAmountFen: facts.totalAmountFen,
      technologyAmountFen: facts.technologyAmountFen,
      ipNumbers: ipNumbersOf(facts),
      facts,
      score: null,
      flagged: null,
      screenedAt: null,
    });
    // One statement, not save()'s read-then-write: screening runs on every application.
    await this.contracts.upsert(row, ['contractId']);
    const result = await this.screen(row);
    return { score: result.score, flagged: result.flagged, findings: result.findings.length };
  }

  @OnJob(QueueName.Risk, JobName.RegistrationDecided)
  async onDecided(payload: JobPayloads[JobName.RegistrationDecided]): Promise<void> {
    const row = await this.contracts.findOne({
      where: { contractId: payload.contractId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return; // never applied through this market's registration: nothing was screened
    await this.contracts.update(
      { contractId: row.contractId },
      { status: payload.outcome, registrationNumber: payload.registrationNumber ?? row.registrationNumber },
    );
    await this.findings
      .createQueryBuilder()
      .update(RiskFinding)
      .set({
        decision: DECISION_OF[payload.outcome],
        decidedBy: payload.decidedBy,
        decidedAt: new Date(payload.decidedAt),
        decisionReason: payload.reason,
      })
      .where('contract_id = :id AND decision IS NULL', { id: row.contractId })
      .execute();
  }

  /** Screens a copied application: its undecided findings are replaced by the new ones. */
  async screen(row: RiskContract): Promise<ScreeningResult> {
    const { seller, buyer, usccs } = await this.parties(row);
    const contract = contractFromFacts(row.facts, row.registrationNumber, { seller, buyer });
    const result = this.screener.screen(contract, await this.neighbourhood(contract, usccs));
    await this.findings.delete({ contractId: row.contractId, decision: IsNull() });
    if (result.findings.length > 0) {
      await this.findings.insert(
        result.findings.map((f) => ({
          contractId: row.contractId,
          rule: f.rule,
          weight: f.weight,
          evidence: f.evidence,
          sentenceZh: f.sentence.zh,
          sentenceEn: f.sentence.en,
        })),
      );
    }
    await this.contracts.update(
      { contractId: row.contractId },
      { score: result.score, flagged: result.flagged, screenedAt: this.clock.now() },
    );
    return result;
  }

  /** The parties with what identity knows of them (legal representative, registered address). */
  private async parties(
    row: RiskContract,
  ): Promise<{ seller: ScreenedParty; buyer: ScreenedParty; usccs: Map<string, string> }> {
    const usccs = new Map<string, string>();
    const party = async (fact: { organizationId: string; name: string }): Promise<ScreenedParty> => {
      const organization = await this.organizations.get(fact.organizationId).catch(() => null);
      if (organization) usccs.set(organization.uscc, organization.id);
      return {
        orgId: fact.organizationId,
        name: fact.name,
        legalRepresentative: organization?.legalRepresentative ?? null,
        registeredAddress: organization?.registeredAddress ?? null,
      };
    };
    return { seller: await party(row.facts.seller), buyer: await party(row.facts.buyer), usccs };
  }

  private async neighbourhood(contract: ContractUnderScreening, usccs: Map<string, string>): Promise<Neighbourhood> {
    const parties = [contract.seller.orgId, contract.buyer.orgId];
    const partyRows = await this.contracts
      .createQueryBuilder('c')
      .where('(c.seller_organization_id IN (:...parties) OR c.buyer_organization_id IN (:...parties))', { parties })
      .andWhere('c.contract_id <> :id', { id: contract.contractId })
      .andWhere('c.status IN (:...live)', { live: LIVE })
      .andWhere('c.signed_on BETWEEN :from AND :to', {
        from: addDays(contract.signedOn, -LOOK_BACK_DAYS),
        to: addDays(contract.signedOn, 366),
      })
      .getMany();
    const numbers = contract.ipItems.map((ip) => ip.number).filter((n): n is string => n !== null);
    const ipRows = numbers.length
      ? await this.contracts
          .createQueryBuilder('c')
          .where('c.ip_numbers && :numbers', { numbers })
          .andWhere('c.contract_id <> :id', { id: contract.contractId })
          .andWhere('c.status IN (:...live)', { live: LIVE })
          .getMany()
      : [];
    const comparableRows: Array<{
      contract_id: string;
      registration_number: string | null;
      technology_amount_fen: string;
      signed_on: string;
    }> = await this.contracts.query(
      `SELECT contract_id, registration_number, technology_amount_fen, to_char(signed_on, 'YYYY-MM-DD') AS signed_on
           FROM risk_contract
          WHERE contract_type = $1 AND sub_kind = $2 AND technical_field = $3 AND status = 'registered'
            AND signed_on >= $4 AND contract_id <> $5
          ORDER BY signed_on DESC LIMIT ${MAX_COMPARABLES}`,
      [
        contract.type,
        contract.subKind,
        contract.technicalField,
        addDays(contract.signedOn, -366 * COMPARABLE_YEARS),
        contract.contractId,
      ],
    );
    const comparables: ComparableDeal[] = comparableRows.map((r) => ({
      contractId: r.contract_id,
      number: r.registration_number,
      techAmountFen: Number(r.technology_amount_fen),
      signedOn: r.signed_on,
    }));
    return {
      partyContracts: partyRows.map((r) => summaryFromFacts(r.facts, r.registrationNumber)),
      ipContracts: ipRows.map((r) => summaryFromFacts(r.facts, r.registrationNumber)),
      comparables,
      relations: await this.relationsOf(usccs),
      ratings: await this.ratingsOf(contract),
    };
  }

  /** The parties' and the broker agency's credit ratings (libs/credit); a subject with no record has none. */
  private async ratingsOf(contract: ContractUnderScreening): Promise<Neighbourhood['ratings']> {
    const names = new Map<string, string>([
      [`organization:${contract.seller.orgId}`, contract.seller.name],
      [`organization:${contract.buyer.orgId}`, contract.buyer.name],
    ]);
    if (contract.broker) names.set(`broker:${contract.broker.brokerId}`, contract.broker.name);
    const rated = await this.credit.ratings(
      [...names.keys()].map((key) => {
        const [subject, id] = key.split(':') as ['organization' | 'broker', string];
        return { subject, id };
      }),
    );
    return rated.map((r) => ({
      subject: r.subject,
      id: r.id,
      name: names.get(`${r.subject}:${r.id}`) ?? r.id,
      rating: r.rating,
    }));
  }

  /** Relation rows naming either party, their credit codes turned into the parties' ids. */
  private async relationsOf(idOf: Map<string, string>): Promise<OrganizationRelation[]> {
    const rows = await this.relations.naming([...idOf.keys()]);
    return rows.map((r) => ({
      relationId: r.id,
      orgAId: idOf.get(r.partyAUscc) ?? `uscc:${r.partyAUscc}`,
      orgBId: idOf.get(r.partyBUscc) ?? `uscc:${r.partyBUscc}`,
      kind: r.kind,
      sharePercent: r.sharePercent,
      source: r.source,
    }));
  }

  /**
   * The findings of a contract, for the auditors of the office it is filed with (and admins).
   * Anyone else, and a contract never screened, is a 404.
   */
  async riskOf(actor: Actor, contractId: string): Promise<ContractRiskView> {
    const row = UUID.test(contractId) ? await this.contracts.findOneBy({ contractId }) : null;
    const roles = actor.roles as string[];
    const inCharge = roles.includes(Role.Auditor) && row?.registryOfficeId === actor.organizationId;
    if (!row || row.screenedAt === null || !(roles.includes(Role.Admin) || inCharge))
      throw new NotFoundError('contract', contractId);
    const findings = await this.findings.find({ where: { contractId }, order: { weight: 'DESC', rule: 'ASC' } });
    return {
      contractId,
      score: row.score ?? 0,
      flagged: row.flagged ?? false,
      flagScore: this.config.risk.flagScore,
      screenedAt: row.screenedAt.toISOString(),
      findings: findings.map((f) => ({
        id: f.id,
        rule: f.rule as RiskRule,
        weight: f.weight,
        sentence: { zh: f.sentenceZh, en: f.sentenceEn },
        evidence: f.evidence as unknown as Record<string, unknown>[],
        decision: f.decision,
        decidedAt: f.decidedAt?.toISOString() ?? null,
      })),
    };
  }

  /** Per rule: how many findings, and how often the auditors confirmed the contract false. */
  async rules(): Promise<RiskRulesView> {
    const rows: Array<{ rule: string; decision: FindingDecision | null; n: string }> = await this.findings.query(
      `SELECT rule, decision, count(*) AS n FROM risk_finding GROUP BY rule, decision`,
    );
    const t = this.config.risk;
    const weights: Record<RiskRule, number> = {
      [RiskRule.RelatedParties]: t.relatedParties.weight,
      [RiskRule.RoundTrip]: t.roundTrip.weight,
      [RiskRule.PriceAnomaly]: t.priceAnomaly.weight,
      [RiskRule.NonTechnology]: t.nonTechnology.weight,
      [RiskRule.AmountSplitting]: t.amountSplitting.weight,
      [RiskRule.DoubleSale]: t.doubleSale.weight,
      [RiskRule.IpNotInForce]: t.ipNotInForce.weight,
      [RiskRule.YearEndSurge]: t.yearEndSurge.weight,
      [RiskRule.PoorCredit]: t.poorCredit.weightD,
    };
    return {
      flagScore: t.flagScore,
      rules: RISK_RULES.map((rule) => {
        const count = (decision: FindingDecision | null) =>
          Number(rows.find((r) => r.rule === rule && r.decision === decision)?.n ?? 0);
        const confirmed = count('confirmed');
        const dismissed = count('dismissed');
        const refused = count('refused');
        const undecided = count(null);
        return {
          rule,
          weight: weights[rule],
          findings: confirmed + dismissed + refused + undecided,
          confirmed,
          dismissed,
          refused,
          undecided,
          confirmationRate:
            confirmed + dismissed > 0 ? Math.round((1000 * confirmed) / (confirmed + dismissed)) / 1000 : null,
        };
      }),
    };
  }
}

/** What the contract context keeps of a screening: the score, not the findings (those are the office's). */
export interface ApplicationScreening {
  score: number;
  flagged: boolean;
  findings: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
