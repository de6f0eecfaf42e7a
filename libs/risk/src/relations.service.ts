import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isUuid } from '@market/http';
import type { Actor } from '@market/identity';
import { usccProblem } from '@market/identity';
import { readRelationsCsv, RelationFacts, relationProblem } from './domain/relations-csv';
import {
  RelationInput,
  RelationPage,
  RelationQuery,
  RelationsImportView,
  RelationUpdate,
  RelationView,
} from './dto/relations.dto';
import { OrganizationRelationRecord } from './entities/organization-relation.entity';
import { RiskErrors } from './risk.errors';

/** The organization-relations table admins maintain for the related-parties rule. */
@Injectable()
export class RelationsService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repository() {
    return this.txHost.tx.getRepository(OrganizationRelationRecord);
  }

  async list(query: RelationQuery): Promise<RelationPage> {
    const qb = this.repository
      .createQueryBuilder('r')
      .orderBy('r.updated_at', 'DESC')
      .addOrderBy('r.id')
      .take(query.limit)
      .skip(query.offset);
    if (query.uscc) qb.where('(r.party_a_uscc = :uscc OR r.party_b_uscc = :uscc)', { uscc: query.uscc });
    const [rows, total] = await qb.getManyAndCount();
    return { total, items: rows.map(toRelationView) };
  }

  /** Every relation that names one of these credit codes, for screening. */
  naming(usccs: string[]): Promise<OrganizationRelationRecord[]> {
    if (usccs.length === 0) return Promise.resolve([]);
    return this.repository
      .createQueryBuilder('r')
      .where('r.party_a_uscc IN (:...usccs) OR r.party_b_uscc IN (:...usccs)', { usccs })
      .getMany();
  }

  async create(admin: Actor, input: RelationInput): Promise<RelationView> {
    const facts = factsOf(input);
    const problem = relationProblem(facts, usccProblem);
    if (problem) throw RiskErrors.relationInvalid(problem);
    const existing = await this.repository.findOneBy({
      partyAUscc: facts.partyAUscc,
      partyBUscc: facts.partyBUscc,
      kind: facts.kind,
    });
    if (existing) throw RiskErrors.relationExists(existing.id);
    return toRelationView(await this.repository.save(this.repository.create({ ...facts, recordedBy: admin.userId })));
  }

  async update(admin: Actor, id: string, input: RelationUpdate): Promise<RelationView> {
    const row = await this.lock(id);
    const facts: RelationFacts = {
      ...row,
      partyAName: input.partyAName ?? row.partyAName,
      partyBName: input.partyBName ?? row.partyBName,
      sharePercent: input.sharePercent !== undefined ? input.sharePercent : row.sharePercent,
      source: input.source !== undefined ? input.source : row.source,
    };
    const problem = relationProblem(facts, usccProblem);
    if (problem) throw RiskErrors.relationInvalid(problem);
    Object.assign(row, {
      partyAName: facts.partyAName,
      partyBName: facts.partyBName,
      sharePercent: facts.sharePercent,
      source: facts.source,
      recordedBy: admin.userId,
    });
    return toRelationView(await this.repository.save(row));
  }

  async remove(id: string): Promise<RelationView> {
    const row = await this.lock(id);
    await this.repository.delete({ id: row.id });
    return toRelationView(row);
  }

  /** All lines or none: a file with a bad line changes nothing and names every bad line. */
  async import(admin: Actor, csv: string): Promise<RelationsImportView> {
    const { relations, problems } = readRelationsCsv(csv, usccProblem);
    if (problems.length > 0) throw RiskErrors.csvInvalid(problems);
    let created = 0;
    for (const facts of relations) {
      const inserted = await this.repository.query(
        `INSERT INTO organization_relation (party_a_uscc, party_a_name, party_b_uscc, party_b_name, kind, share_percent, source, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (party_a_uscc, party_b_uscc, kind) DO UPDATE
            SET party_a_name = excluded.party_a_name, party_b_name = excluded.party_b_name,
                share_percent = excluded.share_percent, source = excluded.source,
                recorded_by = excluded.recorded_by, updated_at = now()
         RETURNING (xmax = 0) AS created`,
        [
          facts.partyAUscc,
          facts.partyAName,
          facts.partyBUscc,
          facts.partyBName,
          facts.kind,
          facts.sharePercent,
          facts.source,
          admin.userId,
        ],
      );
      if (inserted[0]?.created) created++;
    }
    return { created, updated: relations.length - created };
  }

  private async lock(id: string): Promise<OrganizationRelationRecord> {
    const row = isUuid(id)
      ? await this.repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!row) throw RiskErrors.relationNotFound(id);
    return row;
  }
}

function factsOf(input: RelationInput): RelationFacts {
  return {
    partyAUscc: input.partyAUscc,
    partyAName: input.partyAName.trim(),
    partyBUscc: input.partyBUscc,
    partyBName: input.partyBName.trim(),
    kind: input.kind,
    sharePercent: input.sharePercent ?? null,
    source: input.source ?? null,
  };
}

export function toRelationView(row: OrganizationRelationRecord): RelationView {
  return {
    id: row.id,
    partyAUscc: row.partyAUscc,
    partyAName: row.partyAName,
    partyBUscc: row.partyBUscc,
    partyBName: row.partyBName,
    kind: row.kind,
    sharePercent: row.sharePercent,
    source: row.source,
    recordedBy: row.recordedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}
