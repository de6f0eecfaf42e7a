import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import { isUuid, NotFoundError } from '@market/http';
import { Actor, OrganizationsService, Role } from '@market/identity';
import { JobName, JobPayloads, OnJob, QueueName } from '@market/queue';
import {
  CreditEventKind,
  EVENT_POINTS,
  LOOK_BACK_YEARS,
  pointsOf,
  ratingOf,
  CreditRatingLetter,
} from './domain/rating';
import { CreditRecordView, DisclosureView } from './dto/credit.dto';
import { CreditEvent, CreditSubject } from './entities/credit-event.entity';

/** Credit records (信用档案) of organizations and brokers, fed by the registration decisions. */
@Injectable()
export class CreditService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly clock: Clock,
  ) {}

  private get events() {
    return this.txHost.tx.getRepository(CreditEvent);
  }

  @OnJob(QueueName.Credit, JobName.RegistrationDecided)
  async onDecided(payload: JobPayloads[JobName.RegistrationDecided]): Promise<void> {
    const day = payload.decidedAt.slice(0, 10);
    const number = payload.registrationNumber ? `（登记号 ${payload.registrationNumber}）` : '';
    const entries: Array<[CreditSubject, string | null, CreditEventKind, string]> = [];
    if (payload.outcome === 'confirmed_false') {
      const fact = `${day} 一份技术合同${number}经登记机构认定为虚假技术合同 / a technology contract was confirmed false by the registry office`;
      entries.push(
        ['organization', payload.sellerOrganizationId, CreditEventKind.ContractConfirmedFalse, fact],
        ['organization', payload.buyerOrganizationId, CreditEventKind.ContractConfirmedFalse, fact],
        ['broker', payload.brokerOrganizationId, CreditEventKind.ContractConfirmedFalse, fact],
      );
    } else if (payload.outcome === 'refused') {
      const fact = `${day} 一份技术合同登记申请未予登记 / a registration application was refused`;
      entries.push(
        ['organization', payload.sellerOrganizationId, CreditEventKind.RegistrationRefused, fact],
        ['broker', payload.brokerOrganizationId, CreditEventKind.RegistrationRefused, fact],
      );
    } else {
      entries.push([
        'organization',
        payload.sellerOrganizationId,
        CreditEventKind.ContractRegistered,
        `${day} 技术合同${number}准予登记 / a contract was registered`,
      ]);
    }
    const sourceKey = `registration.decided:${payload.contractId}:${payload.decidedAt}`;
    for (const [subject, subjectId, kind, fact] of entries) {
      if (!subjectId) continue;
      await this.events
        .createQueryBuilder()
        .insert()
        .into(CreditEvent)
        .values({
          subject,
          subjectId,
          kind,
          points: EVENT_POINTS[kind],
          contractId: payload.contractId,
          registrationNumber: payload.registrationNumber,
          fact,
          occurredAt: new Date(payload.decidedAt),
          sourceKey,
        })
        .orIgnore()
        .execute();
    }
  }

  /**
   * The current ratings of these subjects, for the risk rules, read in one query however many
   * (screening asks for a whole batch's parties and brokers); a subject without events has none.
   */
  async ratings(
    subjects: { subject: CreditSubject; id: string }[],
  ): Promise<{ subject: CreditSubject; id: string; rating: CreditRatingLetter }[]> {
    if (subjects.length === 0) return [];
    const unique = [...new Map(subjects.map((s) => [`${s.subject}:${s.id}`, s])).values()];
    const now = this.clock.now();
    const since = new Date(now);
    since.setUTCFullYear(since.getUTCFullYear() - LOOK_BACK_YEARS);
    const rows: { subject: CreditSubject; subject_id: string; kind: CreditEventKind; occurred_at: Date }[] =
      await this.events.query(
        `SELECT e.subject, e.subject_id, e.kind, e.occurred_at
           FROM credit_event e
           JOIN unnest($1::text[], $2::uuid[]) AS s (subject, id) ON e.subject = s.subject AND e.subject_id = s.id
          WHERE e.occurred_at >= $3`,
        [unique.map((s) => s.subject), unique.map((s) => s.id), since],
      );
    const events = new Map<string, { kind: CreditEventKind; occurredAt: Date }[]>();
    for (const row of rows) {
      const key = `${row.subject}:${row.subject_id}`;
      const list = events.get(key) ?? [];
      list.push({ kind: row.kind, occurredAt: row.occurred_at });
      events.set(key, list);
    }
    const out: { subject: CreditSubject; id: string; rating: CreditRatingLetter }[] = [];
    for (const s of subjects) {
      const mine = events.get(`${s.subject}:${s.id}`);
      if (mine) out.push({ ...s, rating: ratingOf(pointsOf(mine, now)) });
    }
    return out;
  }

  /** An organization's or a broker agency's record: its own members, auditors and admins; 404 to anyone else. */
  async record(actor: Actor, subject: CreditSubject, id: string): Promise<CreditRecordView> {
    const roles = actor.roles as string[];
    const allowed = roles.includes(Role.Admin) || roles.includes(Role.Auditor) || actor.organizationId === id;
    const organization = isUuid(id) && allowed ? await this.organizations.get(id).catch(() => null) : null;
    if (!organization) throw new NotFoundError(subject === 'broker' ? 'broker' : 'organization', id);
    const events = await this.recent(subject, id);
    const points = pointsOf(events, this.clock.now());
    return {
      subject,
      id,
      name: organization.name,
      rating: ratingOf(points),
      points,
      events: events.map((e) => ({
        kind: e.kind,
        points: e.points,
        contractId: e.contractId,
        listingId: e.listingId,
        priceAnnouncementId: e.negotiationId,
        registrationNumber: e.registrationNumber,
        fact: e.fact,
        occurredAt: e.occurredAt.toISOString(),
      })),
    };
  }

  /** The public disclosure list (信用信息发布): organizations rated D, with their confirmed false contracts only. */
  async disclosures(): Promise<DisclosureView[]> {
    const since = new Date(this.clock.now());
    since.setUTCFullYear(since.getUTCFullYear() - LOOK_BACK_YEARS);
    const rows: { subject_id: string; points: number }[] = await this.events.query(
      `SELECT subject_id, least(100, 100 + sum(points))::int AS points
         FROM credit_event WHERE subject = 'organization' AND occurred_at >= $1
        GROUP BY subject_id HAVING least(100, 100 + sum(points)) < 60
        ORDER BY subject_id`,
      [since],
    );
    const out: DisclosureView[] = [];
    for (const row of rows) {
      const organization = await this.organizations.get(row.subject_id).catch(() => null);
      if (!organization) continue;
      const facts = (await this.recent('organization', row.subject_id))
        .filter((e) => e.kind === CreditEventKind.ContractConfirmedFalse)
        .map((e) => e.fact);
      out.push({ organizationId: row.subject_id, name: organization.name, rating: 'D', facts });
    }
    return out;
  }

  private recent(subject: CreditSubject, id: string): Promise<CreditEvent[]> {
    const since = new Date(this.clock.now());
    since.setUTCFullYear(since.getUTCFullYear() - LOOK_BACK_YEARS);
    return this.events
      .createQueryBuilder('e')
      .where('e.subject = :subject AND e.subject_id = :id AND e.occurred_at >= :since', { subject, id, since })
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id')
      .getMany();
  }
}
