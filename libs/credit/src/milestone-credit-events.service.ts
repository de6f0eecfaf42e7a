import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ContractMilestoneCreditPayload, JobName, JobPayloads, OnJob, QueueName } from '@market/queue';
import { CreditEventKind, EVENT_POINTS } from './domain/rating';
import { CreditEvent } from './entities/credit-event.entity';

/**
 * Credit events from performance tracking (履行跟踪): a contract milestone kept (done by its due day)
 * or missed (marked overdue), on the record of the party that owed it. Each is recorded once per
 * milestone (`source_key`), however often its job is delivered.
 */
@Injectable()
export class MilestoneCreditEventsService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  @OnJob(QueueName.Credit, JobName.ContractMilestoneKept)
  async onKept(payload: JobPayloads[JobName.ContractMilestoneKept]): Promise<void> {
    const what = payload.kind === 'payment' ? '付款' : '交付';
    await this.add(
      payload,
      CreditEventKind.MilestoneKept,
      `${payload.at.slice(0, 10)} 技术合同履行节点「${payload.milestoneTitle}」按期${what}（应于${payload.dueOn}） / a contract milestone was ${payload.kind === 'payment' ? 'paid' : 'delivered'} on time`,
    );
  }

  @OnJob(QueueName.Credit, JobName.ContractMilestoneMissed)
  async onMissed(payload: JobPayloads[JobName.ContractMilestoneMissed]): Promise<void> {
    const what = payload.kind === 'payment' ? '付款' : '交付';
    await this.add(
      payload,
      CreditEventKind.MilestoneMissed,
      `${payload.at.slice(0, 10)} 技术合同履行节点「${payload.milestoneTitle}」逾期未${what}（应于${payload.dueOn}） / a contract milestone was not ${payload.kind === 'payment' ? 'paid' : 'delivered'} by its due day`,
    );
  }

  private async add(payload: ContractMilestoneCreditPayload, kind: CreditEventKind, fact: string): Promise<void> {
    await this.txHost.tx
      .getRepository(CreditEvent)
      .createQueryBuilder()
      .insert()
      .values({
        subject: 'organization',
        subjectId: payload.owingOrganizationId,
        kind,
        points: EVENT_POINTS[kind],
        contractId: payload.contractId,
        listingId: null,
        negotiationId: null,
        registrationNumber: null,
        fact,
        occurredAt: new Date(payload.at),
        sourceKey: `${kind}:${payload.milestoneId}`,
      })
      .orIgnore()
      .execute();
  }
}
