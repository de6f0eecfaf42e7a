import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { JobName, JobPayloads, OnJob, QueueName } from '@market/queue';
import { CreditEventKind, EVENT_POINTS } from './domain/rating';
import { CreditEvent, CreditSubject } from './entities/credit-event.entity';

/**
 * Credit events from the market's public procedures rather than from registration: an objection
 * (异议) upheld against a listing during its announcement, and a deal annulled after an objection to
 * its price announcement (交易价格公示) was upheld. Each event is recorded once per subject
 * (`source_key`), however often its job is delivered.
 */
@Injectable()
export class MarketCreditEventsService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The objection was upheld against the listing's organization (the seller). */
  @OnJob(QueueName.Credit, JobName.ListingObjectionUpheld)
  async onListingObjectionUpheld(payload: JobPayloads[JobName.ListingObjectionUpheld]): Promise<void> {
    const day = payload.ruledAt.slice(0, 10);
    await this.add({
      subjects: [['organization', payload.sellerOrganizationId]],
      kind: CreditEventKind.ObjectionUpheld,
      fact: `${day} 挂牌成果《${payload.listingTitle}》公示期间的异议经审查成立 / an objection to the announcement of its listing was upheld`,
      occurredAt: payload.ruledAt,
      listingId: payload.listingId,
      negotiationId: null,
      sourceKey: `listing.objection_upheld:${payload.objectionId}`,
    });
  }

  /** The deal both parties agreed (and the broker mediated) was annulled: on each one's record. */
  @OnJob(QueueName.Credit, JobName.NegotiationDealAnnulled)
  async onDealAnnulled(payload: JobPayloads[JobName.NegotiationDealAnnulled]): Promise<void> {
    const day = payload.annulledAt.slice(0, 10);
    await this.add({
      subjects: [
        ['organization', payload.sellerOrganizationId],
        ['organization', payload.buyerOrganizationId],
        ['broker', payload.brokerOrganizationId],
      ],
      kind: CreditEventKind.DealAnnulled,
      fact: `${day} 一项协议定价成交因交易价格公示异议成立被撤销 / a negotiated deal was annulled after an objection to its price announcement was upheld`,
      occurredAt: payload.annulledAt,
      listingId: payload.listingId,
      negotiationId: payload.negotiationId,
      sourceKey: `negotiation.deal_annulled:${payload.negotiationId}`,
    });
  }

  private async add(event: {
    subjects: Array<[CreditSubject, string | null]>;
    kind: CreditEventKind;
    fact: string;
    occurredAt: string;
    listingId: string;
    negotiationId: string | null;
    sourceKey: string;
  }): Promise<void> {
    const rows = event.subjects
      .filter((entry): entry is [CreditSubject, string] => entry[1] !== null)
      .map(([subject, subjectId]) => ({
        subject,
        subjectId,
        kind: event.kind,
        points: EVENT_POINTS[event.kind],
        contractId: null,
        listingId: event.listingId,
        negotiationId: event.negotiationId,
        registrationNumber: null,
        fact: event.fact,
        occurredAt: new Date(event.occurredAt),
        sourceKey: event.sourceKey,
      }));
    if (rows.length === 0) return;
    await this.txHost.tx.getRepository(CreditEvent).createQueryBuilder().insert().values(rows).orIgnore().execute();
  }
}
