import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '@market/config';
import { Clock } from '@market/clock';
import { isUuid, NotFoundError } from '@market/http';
import { CreditService } from '@market/credit';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { BatchedJob, JobName, JobPayloads, OnJobBatch, QueueName, RegistrationDecidedPayload } from '@market/queue';
import { addDays } from './domain/dates';
import { ContractFacts, contractFromFacts, ipNumbersOf, screenedTransferMode } from './domain/contract-facts';
import { RISK_RULES, RiskRule } from './domain/finding';
import { ContractScreener, ScreeningResult } from './domain/screening';
import { summaryOf } from './domain/rules/rule';
import type {
  ComparableDeal,
  ContractSummary,
  ContractUnderScreening,
  Neighbourhood,
  OrganizationRelation,
  RatedSubject,
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
   * that job's transaction): `screenApplications` of one.
   */
  async screenApplication(appliedAt: Date, facts: ContractFacts): Promise<ApplicationScreening> {
    const [result] = await this.screenApplications([{ appliedAt, facts }]);
    return result;
  }

  /**
   * Screens a batch of applications in the caller's transaction (the contract context's batched
   * `contract.submitted` job): each one's facts are copied into `risk_contract`, every rule runs,
   * and the score and findings are kept. A later application of the same contract (after an
   * amendment or documents) replaces the undecided findings; an older one arriving late changes
   * nothing.
   *
   * The cost is per batch, not per application: the copies already known are locked in one
   * statement, the neighbourhood of the whole batch — the parties' contracts, the contracts on its IP
   * numbers, the comparables of its cells, the parties' registry facts, the relations and the
   * ratings — is read with one set-based query each, and the copies, the findings and the scores are
   * written with one statement each. The batch is screened in the order of application: each
   * application sees the ones applied before it, in the database or earlier in the batch, exactly
   * as if they had been screened one at a time, and never a later one.
   */
  async screenApplications(applications: ScreeningApplication[]): Promise<ApplicationScreening[]> {
    if (applications.length === 0) return [];
    const ids = [...new Set(applications.map((a) => a.facts.contractId))].sort();
    // In a fixed order, so two batches sharing a contract cannot deadlock on its copy.
    const knownRows: KnownCopy[] = await this.contracts.query(
      `SELECT contract_id, applied_at, registration_number, score, flagged FROM risk_contract
        WHERE contract_id = ANY($1::uuid[]) ORDER BY contract_id FOR UPDATE`,
      [ids],
    );
    const known = new Map(knownRows.map((row) => [row.contract_id, row]));
    // The order of application; of several applications of one contract in the batch, the latest holds.
    const order = applications
      .map((application, index) => ({ application, index }))
      .sort((a, b) => a.application.appliedAt.getTime() - b.application.appliedAt.getTime() || a.index - b.index);
    const latest = new Map<string, number>();
    for (const { application, index } of order) latest.set(application.facts.contractId, index);
    const fresh = order.filter(({ application, index }) => {
      const id = application.facts.contractId;
      const copy = known.get(id);
      return latest.get(id) === index && !(copy && copy.applied_at.getTime() > application.appliedAt.getTime());
    });

    const results = new Map<string, ApplicationScreening>();
    if (fresh.length > 0) {
      const screened = await this.screenInOrder(
        fresh.map(({ application }) => ({
          ...application,
          registrationNumber: known.get(application.facts.contractId)?.registration_number ?? null,
        })),
      );
      for (const [id, result] of screened) {
        results.set(id, { score: result.score, flagged: result.flagged, findings: result.findings.length });
      }
    }
    const stale = ids.filter((id) => !results.has(id));
    if (stale.length > 0) {
      const undecided: { contract_id: string; n: number }[] = await this.findings.query(
        `SELECT contract_id, count(*)::int AS n FROM risk_finding
          WHERE contract_id = ANY($1::uuid[]) AND decision IS NULL GROUP BY contract_id`,
        [stale],
      );
      const counts = new Map(undecided.map((row) => [row.contract_id, row.n]));
      for (const id of stale) {
        const copy = known.get(id);
        results.set(id, { score: copy?.score ?? 0, flagged: copy?.flagged ?? false, findings: counts.get(id) ?? 0 });
      }
    }
    return applications.map((a) => results.get(a.facts.contractId)!);
  }

  /** Screens applications (distinct contracts, in order of application), then writes their copies, findings and scores. */
  private async screenInOrder(
    batch: (ScreeningApplication & { registrationNumber: string | null })[],
  ): Promise<Map<string, ScreeningResult>> {
    const parties = await this.partiesOf(batch.flatMap(({ facts }) => [facts.seller, facts.buyer]));
    const contracts = batch.map(({ facts, registrationNumber }) =>
      contractFromFacts(facts, registrationNumber, {
        seller: parties.get(facts.seller.organizationId)!.party,
        buyer: parties.get(facts.buyer.organizationId)!.party,
      }),
    );
    const around = await this.neighbourhoodsOf(contracts, parties);
    const now = this.clock.now();
    const results = new Map<string, ScreeningResult>();
    const rows = batch.map(({ appliedAt, facts, registrationNumber }, i) => {
      const result = this.screener.screen(contracts[i], around(i));
      results.set(facts.contractId, result);
      return {
        contract_id: facts.contractId,
        registry_office_id: facts.registryOfficeId,
        applied_at: appliedAt.toISOString(),
        registration_number: registrationNumber,
        seller_organization_id: facts.seller.organizationId,
        buyer_organization_id: facts.buyer.organizationId,
        contract_type: facts.contractType,
        sub_kind: facts.subKind,
        technical_field: facts.technicalField,
        signed_on: facts.signedOn,
        total_amount_fen: facts.totalAmountFen,
        technology_amount_fen: facts.technologyAmountFen,
        ip_numbers: ipNumbersOf(facts),
        facts,
        score: result.score,
        flagged: result.flagged,
      };
    });
    // One statement for the batch's copies and one for its findings, each rows as one JSON
    // parameter: no per-row round trip, no per-row statement built by the ORM.
    await this.contracts.query(
      `INSERT INTO risk_contract (contract_id, registry_office_id, status, applied_at, registration_number,
              seller_organization_id, buyer_organization_id, contract_type, sub_kind, technical_field, signed_on,
              total_amount_fen, technology_amount_fen, ip_numbers, facts, score, flagged, screened_at)
       SELECT contract_id, registry_office_id, 'applied', applied_at, registration_number, seller_organization_id,
              buyer_organization_id, contract_type, sub_kind, technical_field, signed_on, total_amount_fen,
              technology_amount_fen, ARRAY(SELECT jsonb_array_elements_text(ip_numbers)), facts, score, flagged, $2
         FROM jsonb_to_recordset($1::jsonb) AS r (contract_id uuid, registry_office_id uuid, applied_at timestamptz,
              registration_number text, seller_organization_id uuid, buyer_organization_id uuid, contract_type text,
              sub_kind text, technical_field text, signed_on date, total_amount_fen bigint,
              technology_amount_fen bigint, ip_numbers jsonb, facts jsonb, score int, flagged boolean)
       ON CONFLICT (contract_id) DO UPDATE SET
              registry_office_id = EXCLUDED.registry_office_id, status = EXCLUDED.status,
              applied_at = EXCLUDED.applied_at, registration_number = EXCLUDED.registration_number,
              seller_organization_id = EXCLUDED.seller_organization_id,
              buyer_organization_id = EXCLUDED.buyer_organization_id, contract_type = EXCLUDED.contract_type,
              sub_kind = EXCLUDED.sub_kind, technical_field = EXCLUDED.technical_field,
              signed_on = EXCLUDED.signed_on, total_amount_fen = EXCLUDED.total_amount_fen,
              technology_amount_fen = EXCLUDED.technology_amount_fen, ip_numbers = EXCLUDED.ip_numbers,
              facts = EXCLUDED.facts, score = EXCLUDED.score, flagged = EXCLUDED.flagged,
              screened_at = EXCLUDED.screened_at`,
      [JSON.stringify(rows), now],
    );
    await this.findings.query(`DELETE FROM risk_finding WHERE contract_id = ANY($1::uuid[]) AND decision IS NULL`, [
      batch.map(({ facts }) => facts.contractId),
    ]);
    const findings = batch.flatMap(({ facts }) =>
      results.get(facts.contractId)!.findings.map((f) => ({
        contract_id: facts.contractId,
        rule: f.rule,
        weight: f.weight,
        evidence: f.evidence,
        sentence_zh: f.sentence.zh,
        sentence_en: f.sentence.en,
      })),
    );
    if (findings.length > 0) {
      await this.findings.query(
        `INSERT INTO risk_finding (contract_id, rule, weight, evidence, sentence_zh, sentence_en)
         SELECT contract_id, rule, weight, evidence, sentence_zh, sentence_en
           FROM jsonb_to_recordset($1::jsonb)
             AS r (contract_id uuid, rule text, weight int, evidence jsonb, sentence_zh text, sentence_en text)`,
        [JSON.stringify(findings)],
      );
    }
    return results;
  }

  /**
   * Several registration decisions at once (the risk queue's batched `registration.decided`): each
   * contract's copy takes its outcome, and its undecided findings the auditor's decision. In the
   * order decided; a contract decided twice in a batch keeps the last outcome, and its findings the
   * first decision (the second finds none undecided, as one job after the other would).
   */
  @OnJobBatch(QueueName.Risk, JobName.RegistrationDecided)
  async onDecided(jobs: BatchedJob<JobName.RegistrationDecided>[]): Promise<void> {
    const decisions = jobs.map((job) => job.payload).sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : 1));
    const ids = [...new Set(decisions.map((d) => d.contractId))].sort();
    const copies: { contract_id: string }[] = await this.contracts.query(
      `SELECT contract_id FROM risk_contract WHERE contract_id = ANY($1::uuid[]) ORDER BY contract_id FOR UPDATE`,
      [ids],
    );
    // A contract never applied through this market's registration: nothing was screened.
    const screened = new Set(copies.map((c) => c.contract_id));
    const last = new Map<string, RegistrationDecidedPayload>();
    const first = new Map<string, RegistrationDecidedPayload>();
    for (const d of decisions) {
      if (!screened.has(d.contractId)) continue;
      last.set(d.contractId, d);
      if (!first.has(d.contractId)) first.set(d.contractId, d);
    }
    if (last.size === 0) return;
    const outcomes = [...last.values()];
    await this.contracts.query(
      `UPDATE risk_contract c SET status = d.outcome, registration_number = coalesce(d.number, c.registration_number)
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS d (contract_id, outcome, number)
        WHERE c.contract_id = d.contract_id`,
      [outcomes.map((d) => d.contractId), outcomes.map((d) => d.outcome), outcomes.map((d) => d.registrationNumber)],
    );
    const rulings = [...first.values()];
    await this.findings.query(
      `UPDATE risk_finding f
          SET decision = d.decision, decided_by = d.decided_by, decided_at = d.decided_at, decision_reason = d.reason
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[])
              AS d (contract_id, decision, decided_by, decided_at, reason)
        WHERE f.contract_id = d.contract_id AND f.decision IS NULL`,
      [
        rulings.map((d) => d.contractId),
        rulings.map((d) => DECISION_OF[d.outcome]),
        rulings.map((d) => d.decidedBy),
        rulings.map((d) => d.decidedAt),
        rulings.map((d) => d.reason),
      ],
    );
  }

  /** The parties with what identity knows of them (legal representative, registered address, credit code). */
  private async partiesOf(
    facts: { organizationId: string; name: string }[],
  ): Promise<Map<string, { party: ScreenedParty; uscc: string | null }>> {
    const ids = [...new Set(facts.map((f) => f.organizationId))];
    const organizations = await this.organizations.getMany(ids).catch(async () => {
      // One of them is gone: the others still count. (One by one: this may run in a transaction,
      // whose single connection takes one query at a time.)
      const found = new Map<string, Awaited<ReturnType<OrganizationsService['get']>>>();
      for (const id of ids) {
        const organization = await this.organizations.get(id).catch(() => null);
        if (organization) found.set(id, organization);
      }
      return found;
    });
    const out = new Map<string, { party: ScreenedParty; uscc: string | null }>();
    for (const fact of facts) {
      if (out.has(fact.organizationId)) continue;
      const organization = organizations.get(fact.organizationId);
      out.set(fact.organizationId, {
        uscc: organization?.uscc ?? null,
        party: {
          orgId: fact.organizationId,
          name: fact.name,
          legalRepresentative: organization?.legalRepresentative ?? null,
          registeredAddress: organization?.registeredAddress ?? null,
        },
      });
    }
    return out;
  }

  /**
   * The neighbourhood of every contract of a batch (in order of application), read set-wise: one
   * query for the live contracts of all their parties, one for those on their IP numbers, one for
   * the comparables of their cells, one for the relations, one for the ratings. Each contract then
   * takes its own share in memory, with the contracts before it in the batch added.
   */
  private async neighbourhoodsOf(
    contracts: ContractUnderScreening[],
    parties: Map<string, { party: ScreenedParty; uscc: string | null }>,
  ): Promise<(i: number) => Neighbourhood> {
    const orgIds = [...parties.keys()];
    const signed = contracts.map((c) => c.signedOn).sort();
    const numbers = [...new Set(contracts.flatMap((c) => ipNumbersOfContract(c)))];
    const cells = new Map<string, { type: string; subKind: string; field: string; since: string }>();
    for (const c of contracts) {
      const key = cellOf(c);
      const since = addDays(c.signedOn, -366 * COMPARABLE_YEARS);
      const cell = cells.get(key);
      if (!cell) cells.set(key, { type: c.type, subKind: c.subKind, field: c.technicalField, since });
      else if (since < cell.since) cell.since = since;
    }
    const usccs = [...parties.values()].map((p) => p.uscc).filter((u): u is string => u !== null);
    // One after the other: they share the transaction's connection. Each answers one row holding
    // its rows as one JSON document: parsed at once, instead of thousands of rows field by field.
    const [{ rows: partyRows }]: { rows: LiveCopy[] }[] = await this.contracts.query(
      `SELECT coalesce(json_agg(${LIVE_COPY_JSON}), '[]') AS rows FROM risk_contract
        WHERE (seller_organization_id = ANY($1::uuid[]) OR buyer_organization_id = ANY($1::uuid[]))
          AND status = ANY($2::text[]) AND signed_on BETWEEN $3 AND $4`,
      [orgIds, LIVE, addDays(signed[0], -LOOK_BACK_DAYS), addDays(signed[signed.length - 1], 366)],
    );
    const ipRows: LiveCopy[] =
      numbers.length > 0
        ? (
            await this.contracts.query(
              `SELECT coalesce(json_agg(${LIVE_COPY_JSON}), '[]') AS rows FROM risk_contract
                WHERE ip_numbers && $1::text[] AND status = ANY($2::text[])`,
              [numbers, LIVE],
            )
          )[0].rows
        : [];
    // Per cell, its comparables newest first as [id, number, amount, signed on].
    const [{ cells: cellRows }]: { cells: Record<string, CellComparable[]> }[] = await this.contracts.query(
      `SELECT coalesce(json_object_agg(q.cell, c.list) FILTER (WHERE c.list IS NOT NULL), '{}') AS cells
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[]) AS q (cell, type, sub_kind, field, since)
           CROSS JOIN LATERAL (
             SELECT json_agg(json_build_array(contract_id, registration_number, technology_amount_fen,
                                              to_char(signed_on, 'YYYY-MM-DD')) ORDER BY signed_on DESC, contract_id) AS list
               FROM (SELECT contract_id, registration_number, technology_amount_fen, signed_on FROM risk_contract
                      WHERE contract_type = q.type AND sub_kind = q.sub_kind AND technical_field = q.field
                        AND status = 'registered' AND signed_on >= q.since
                      ORDER BY signed_on DESC LIMIT ${MAX_COMPARABLES + contracts.length}) newest
           ) c`,
      [
        [...cells.keys()],
        [...cells.values()].map((c) => c.type),
        [...cells.values()].map((c) => c.subKind),
        [...cells.values()].map((c) => c.field),
        [...cells.values()].map((c) => c.since),
      ],
    );
    const relationRows = await this.relations.naming(usccs);
    const ratings = await this.ratingsOf(contracts);

    // What each contract of the batch adds for those after it.
    const earlier = new Map<string, number>(contracts.map((c, i) => [c.contractId, i]));
    const summaries = contracts.map((c) => summaryOf(c));
    const liveSummary = (row: LiveCopy): ContractSummary => ({
      contractId: row.contract_id,
      number: row.registration_number,
      sellerOrgId: row.seller_organization_id,
      sellerName: row.seller_name,
      buyerOrgId: row.buyer_organization_id,
      buyerName: row.buyer_name,
      amountFen: Number(row.total_amount_fen),
      techAmountFen: Number(row.technology_amount_fen),
      signedOn: row.signed_on,
      validFrom: row.valid_from,
      validTo: row.valid_until,
      transferMode: screenedTransferMode(row.transfer_mode),
      ipNumbers: row.ip_numbers,
    });
    const party = partyRows.map((row) => ({ row, summary: liveSummary(row) }));
    const partyOf = new Map<string, typeof party>();
    for (const entry of party) {
      for (const id of new Set([entry.summary.sellerOrgId, entry.summary.buyerOrgId])) {
        const list = partyOf.get(id);
        if (list) list.push(entry);
        else partyOf.set(id, [entry]);
      }
    }
    const onIp = ipRows.map((row) => ({ row, summary: liveSummary(row) }));
    const comparablesOf = new Map<string, ComparableCopy[]>(
      Object.entries(cellRows).map(([cell, list]) => [
        cell,
        list.map(([id, number, amount, signedOn]) => ({
          contract_id: id,
          registration_number: number,
          technology_amount_fen: amount,
          signed_on: signedOn,
        })),
      ]),
    );
    // A copy of the batch's own contracts in the database is what preceded it: it stands until
    // the batch's application of that contract has been screened, then the new facts do.
    const visible = (id: string, i: number) => {
      const at = earlier.get(id);
      return at === undefined || at > i;
    };
    return (i: number): Neighbourhood => {
      const c = contracts[i];
      const from = addDays(c.signedOn, -LOOK_BACK_DAYS);
      const to = addDays(c.signedOn, 366);
      const involves = (s: ContractSummary) =>
        [s.sellerOrgId, s.buyerOrgId].some((id) => id === c.seller.orgId || id === c.buyer.orgId);
      const before = summaries.slice(0, i);
      const candidates = new Set([...(partyOf.get(c.seller.orgId) ?? []), ...(partyOf.get(c.buyer.orgId) ?? [])]);
      const partyContracts = [
        ...[...candidates]
          .filter(({ row }) => row.contract_id !== c.contractId && visible(row.contract_id, i))
          .filter(({ row }) => row.signed_on >= from && row.signed_on <= to)
          .map(({ summary }) => summary),
        ...before.filter((s) => involves(s) && s.signedOn >= from && s.signedOn <= to),
      ];
      const mine = new Set(ipNumbersOfContract(c));
      const onMine = (list: string[]) => list.some((n) => mine.has(n));
      const ipContracts =
        mine.size === 0
          ? []
          : [
              ...onIp
                .filter(({ row }) => row.contract_id !== c.contractId && visible(row.contract_id, i))
                .filter(({ summary }) => onMine(summary.ipNumbers))
                .map(({ summary }) => summary),
              ...before.filter((s) => onMine(s.ipNumbers)),
            ];
      const since = addDays(c.signedOn, -366 * COMPARABLE_YEARS);
      const comparables: ComparableDeal[] = (comparablesOf.get(cellOf(c)) ?? [])
        .filter((r) => r.contract_id !== c.contractId && visible(r.contract_id, i) && r.signed_on >= since)
        .slice(0, MAX_COMPARABLES)
        .map((r) => ({
          contractId: r.contract_id,
          number: r.registration_number,
          techAmountFen: Number(r.technology_amount_fen),
          signedOn: r.signed_on,
        }));
      const idOf = new Map<string, string>();
      for (const p of [c.seller, c.buyer]) {
        const uscc = parties.get(p.orgId)?.uscc;
        if (uscc) idOf.set(uscc, p.orgId);
      }
      const relations: OrganizationRelation[] = relationRows
        .filter((r) => idOf.has(r.partyAUscc) || idOf.has(r.partyBUscc))
        .map((r) => ({
          relationId: r.id,
          orgAId: idOf.get(r.partyAUscc) ?? `uscc:${r.partyAUscc}`,
          orgBId: idOf.get(r.partyBUscc) ?? `uscc:${r.partyBUscc}`,
          kind: r.kind,
          sharePercent: r.sharePercent,
          source: r.source,
        }));
      return { partyContracts, ipContracts, comparables, relations, ratings: ratings(c) };
    };
  }

  /** The credit ratings (libs/credit) of every party and broker agency of the batch, read at once; a subject with no record has none. */
  private async ratingsOf(contracts: ContractUnderScreening[]): Promise<(c: ContractUnderScreening) => RatedSubject[]> {
    const subjectsOf = (c: ContractUnderScreening) => [
      { subject: 'organization' as const, id: c.seller.orgId, name: c.seller.name },
      { subject: 'organization' as const, id: c.buyer.orgId, name: c.buyer.name },
      ...(c.broker ? [{ subject: 'broker' as const, id: c.broker.brokerId, name: c.broker.name }] : []),
    ];
    const wanted = new Map<string, { subject: 'organization' | 'broker'; id: string }>();
    for (const c of contracts) for (const s of subjectsOf(c)) wanted.set(`${s.subject}:${s.id}`, s);
    const rated = await this.credit.ratings([...wanted.values()]);
    const ratingOf = new Map(rated.map((r) => [`${r.subject}:${r.id}`, r.rating]));
    return (c) => {
      const seen = new Set<string>();
      const out: RatedSubject[] = [];
      for (const s of subjectsOf(c)) {
        const key = `${s.subject}:${s.id}`;
        const rating = ratingOf.get(key);
        if (rating && !seen.has(key)) out.push({ subject: s.subject, id: s.id, name: s.name, rating });
        seen.add(key);
      }
      return out;
    };
  }

  /**
   * The findings of a contract, for the auditors of the office it is filed with (and admins).
   * Anyone else, and a contract never screened, is a 404.
   */
  async riskOf(actor: Actor, contractId: string): Promise<ContractRiskView> {
    const row = isUuid(contractId) ? await this.contracts.findOneBy({ contractId }) : null;
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

/** An application handed over for screening: when it was applied for, and the facts of the version applied for. */
export interface ScreeningApplication {
  appliedAt: Date;
  facts: ContractFacts;
}

interface KnownCopy {
  contract_id: string;
  applied_at: Date;
  registration_number: string | null;
  score: number | null;
  flagged: boolean | null;
}

/** A live contract as much as a finding may show of it, read from the copy's columns (not its whole facts). */
interface LiveCopy {
  contract_id: string;
  registration_number: string | null;
  seller_organization_id: string;
  seller_name: string;
  buyer_organization_id: string;
  buyer_name: string;
  total_amount_fen: number;
  technology_amount_fen: number;
  signed_on: string;
  valid_from: string;
  valid_until: string;
  transfer_mode: string | null;
  ip_numbers: string[];
}

const LIVE_COPY_JSON = `json_build_object('contract_id', contract_id, 'registration_number', registration_number,
  'seller_organization_id', seller_organization_id, 'seller_name', facts->'seller'->>'name',
  'buyer_organization_id', buyer_organization_id, 'buyer_name', facts->'buyer'->>'name',
  'total_amount_fen', total_amount_fen, 'technology_amount_fen', technology_amount_fen,
  'signed_on', to_char(signed_on, 'YYYY-MM-DD'), 'valid_from', facts->>'validFrom',
  'valid_until', facts->>'validUntil', 'transfer_mode', facts->>'transferMode', 'ip_numbers', ip_numbers)`;

/** A comparable as the query sends it: id, registration number, 技术交易额, signing date. */
type CellComparable = [string, string | null, number, string];

interface ComparableCopy {
  contract_id: string;
  registration_number: string | null;
  technology_amount_fen: number;
  signed_on: string;
}

const cellOf = (c: ContractUnderScreening) => `${c.type}|${c.subKind}|${c.technicalField}`;

const ipNumbersOfContract = (c: ContractUnderScreening) =>
  c.ipItems.map((ip) => ip.number).filter((n): n is string => n !== null);

/** What the contract context keeps of a screening: the score, not the findings (those are the office's). */
export interface ApplicationScreening {
  score: number;
  flagged: boolean;
  findings: number;
}
