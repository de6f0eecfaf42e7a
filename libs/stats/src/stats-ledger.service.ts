import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { JobName, JobPayloads, OnJob, QueueName, RegisteredContractFacts } from '@market/queue';
import { CountedContract, Delta, deltasOf, monthOf } from './domain/dimensions';
import { StatsContract } from './entities/stats-contract.entity';
import { RAISE_STATS_GENERATION } from './figures-cache';

/** The facts a rollup counts, from what the contract context announced. */
export function countedOf(facts: RegisteredContractFacts): CountedContract {
  return {
    registeredOn: facts.registeredOn,
    contractType: facts.contractType,
    technicalField: facts.technicalField,
    sellerKind: facts.seller.kind,
    buyerKind: facts.buyer.kind,
    ipKinds: facts.ipKinds,
    sellerRegionCode: facts.seller.regionCode,
    buyerRegionCode: facts.buyer.regionCode,
    totalAmountFen: facts.totalAmountFen,
    technologyAmountFen: facts.technologyAmountFen,
  };
}

/**
 * Keeps the figures up to date, one event at a time, on the statistics queue: a registration adds
 * the contract to every breakdown of its day and month, a change registration moves it from its old
 * facts to its new ones, a cancellation takes it out. Each event is applied once (its key in
 * `stats_event`, in the same transaction as its effect), and the events of one contract are applied
 * under a lock on its `stats_contract` row, in whatever order they arrive.
 */
@Injectable()
export class StatsLedger {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get contracts() {
    return this.txHost.tx.getRepository(StatsContract);
  }

  @OnJob(QueueName.Stats, JobName.ContractRegistered)
  async onRegistered(payload: JobPayloads[JobName.ContractRegistered]): Promise<void> {
    const { facts } = payload;
    if (!(await this.claim(`${JobName.ContractRegistered}:${payload.registrationId}`, facts.contractId))) return;
    const current = await this.lock(facts.contractId);
    // Counted already (a change heard first), or cancelled before this arrived: nothing to add.
    if (current) return;
    await this.contracts.insert(this.rowOf(facts));
    await this.apply(deltasOf([{ contract: countedOf(facts), sign: 1 }]));
  }

  @OnJob(QueueName.Stats, JobName.ContractRegistrationChanged)
  async onChanged(payload: JobPayloads[JobName.ContractRegistrationChanged]): Promise<void> {
    const { facts } = payload;
    if (!(await this.claim(`${JobName.ContractRegistrationChanged}:${payload.registrationId}`, facts.contractId))) {
      return;
    }
    const current = await this.lock(facts.contractId);
    if (!current) {
      await this.contracts.insert(this.rowOf(facts));
      await this.apply(deltasOf([{ contract: countedOf(facts), sign: 1 }]));
      return;
    }
    // A cancelled contract stays out; an older change than the one counted is no news.
    if (!current.counted || !current.facts || current.version >= facts.version) return;
    await this.apply(
      deltasOf([
        { contract: countedOf(current.facts), sign: -1 },
        { contract: countedOf(facts), sign: 1 },
      ]),
    );
    await this.contracts.update({ contractId: facts.contractId }, this.rowOf(facts));
  }

  @OnJob(QueueName.Stats, JobName.ContractRegistrationCancelled)
  async onCancelled(payload: JobPayloads[JobName.ContractRegistrationCancelled]): Promise<void> {
    if (!(await this.claim(`${JobName.ContractRegistrationCancelled}:${payload.registrationId}`, payload.contractId))) {
      return;
    }
    const current = await this.lock(payload.contractId);
    if (!current) {
      await this.contracts.insert({
        contractId: payload.contractId,
        counted: false,
        version: 0,
        registeredOn: null,
        sellerRegionCode: null,
        buyerRegionCode: null,
        facts: null,
      });
      return;
    }
    if (!current.counted || !current.facts) return;
    await this.apply(deltasOf([{ contract: countedOf(current.facts), sign: -1 }]));
    await this.contracts.update({ contractId: payload.contractId }, { counted: false });
  }

  /** Records the event as applied; false if it was applied before (a redelivery). */
  private async claim(eventKey: string, contractId: string): Promise<boolean> {
    const inserted: unknown[] = await this.txHost.tx.query(
      `INSERT INTO stats_event (event_key, contract_id) VALUES ($1, $2) ON CONFLICT (event_key) DO NOTHING RETURNING event_key`,
      [eventKey, contractId],
    );
    return inserted.length > 0;
  }

  private lock(contractId: string): Promise<StatsContract | null> {
    return this.contracts.findOne({ where: { contractId }, lock: { mode: 'pessimistic_write' } });
  }

  private rowOf(facts: RegisteredContractFacts) {
    return {
      contractId: facts.contractId,
      counted: true,
      version: facts.version,
      registeredOn: facts.registeredOn,
      sellerRegionCode: facts.seller.regionCode,
      buyerRegionCode: facts.buyer.regionCode,
      facts,
    };
  }

  /** Adds the deltas to the daily and the monthly rollups: one statement each, rows in a fixed order. */
  private async apply(deltas: Delta[]): Promise<void> {
    if (deltas.length === 0) return;
    // Kept answers are dropped when this commits (one raise per event: events are rare next to reads).
    await this.txHost.tx.query(RAISE_STATS_GENERATION);
    const columns = [
      deltas.map((d) => d.dimension),
      deltas.map((d) => d.day),
      deltas.map((d) => d.key),
      deltas.map((d) => d.contracts),
      deltas.map((d) => d.totalAmountFen),
      deltas.map((d) => d.technologyAmountFen),
    ];
    await this.txHost.tx.query(
      `INSERT INTO stats_daily AS s (dimension, day, key, contracts, total_amount_fen, technology_amount_fen)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::int[], $5::bigint[], $6::bigint[])
       ON CONFLICT (dimension, day, key) DO UPDATE SET
         contracts = s.contracts + excluded.contracts,
         total_amount_fen = s.total_amount_fen + excluded.total_amount_fen,
         technology_amount_fen = s.technology_amount_fen + excluded.technology_amount_fen`,
      columns,
    );
    // Several days of one month net into one monthly row (a change never moves a contract's day,
    // but a batch could): sum them first, as one INSERT may not touch a row twice.
    const monthly = new Map<string, Delta>();
    for (const d of deltas) {
      const month = monthOf(d.day);
      const id = `${d.dimension}\u0000${month}\u0000${d.key}`;
      const row = monthly.get(id) ?? { ...d, day: month, contracts: 0, totalAmountFen: 0, technologyAmountFen: 0 };
      row.contracts += d.contracts;
      row.totalAmountFen += d.totalAmountFen;
      row.technologyAmountFen += d.technologyAmountFen;
      monthly.set(id, row);
    }
    const months = [...monthly.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
    await this.txHost.tx.query(
      `INSERT INTO stats_monthly AS s (dimension, month, key, contracts, total_amount_fen, technology_amount_fen)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::int[], $5::bigint[], $6::bigint[])
       ON CONFLICT (dimension, month, key) DO UPDATE SET
         contracts = s.contracts + excluded.contracts,
         total_amount_fen = s.total_amount_fen + excluded.total_amount_fen,
         technology_amount_fen = s.technology_amount_fen + excluded.technology_amount_fen`,
      [
        months.map((d) => d.dimension),
        months.map((d) => d.day),
        months.map((d) => d.key),
        months.map((d) => d.contracts),
        months.map((d) => d.totalAmountFen),
        months.map((d) => d.technologyAmountFen),
      ],
    );
  }
}
