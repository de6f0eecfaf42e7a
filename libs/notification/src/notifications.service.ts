import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccountsService, OrganizationsService } from '@market/identity';
import { BatchedJob, JobName, JobPayloads, NegotiationNoticeKind, OnJob, OnJobBatch, QueueName } from '@market/queue';
import { NotificationPage } from './notification.dto';
import { Notification } from './notification.entity';

/** How an inbox words each negotiation notice, by the listing's title. */
const NEGOTIATION_TITLES: Record<NegotiationNoticeKind, (title: string) => string> = {
  offer_received: (t) => `「${t}」协议定价：收到新的报价，请在有效期内答复`,
  proposal_to_confirm: (t) => `「${t}」协议定价：技术经理人代拟了报价，待您确认后生效`,
  answer_due: (t) => `「${t}」协议定价：对方报价明天到期，请尽快答复`,
  accepted: (t) => `「${t}」协议定价：报价已被接受，双方达成一致`,
  rejected: (t) => `「${t}」协议定价：报价被拒绝，洽谈结束`,
  expired: (t) => `「${t}」协议定价：报价已过期未获答复，洽谈结束`,
  withdrawn: (t) => `「${t}」协议定价：对方已退出洽谈`,
  closed_by_exclusivity: (t) => `「${t}」协议定价：该成果已与他方达成排他性交易，本次洽谈关闭`,
  broker_invited: (t) => `「${t}」协议定价：技术经理人已受邀参与洽谈`,
  announcement_started: (t) => `「${t}」交易价格公示开始`,
  announcement_ended: (t) => `「${t}」交易价格公示期满无异议，交易生效`,
  annulled: (t) => `「${t}」交易价格公示异议成立，交易撤销`,
};

@Injectable()
export class NotificationsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
  ) {}

  async inbox(userId: string, page: { limit: number; offset: number }): Promise<NotificationPage> {
    const [rows, total] = await this.txHost.tx.getRepository(Notification).findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return {
      total,
      items: rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        data: n.data,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
    };
  }

  @OnJob(QueueName.Notifications, JobName.OrganizationVerified)
  async onOrganizationVerified(
    payload: JobPayloads[JobName.OrganizationVerified],
    { jobId }: { jobId: string },
  ): Promise<void> {
    const organization = await this.organizations.get(payload.organizationId);
    const memberIds = await this.accounts.memberIds(payload.organizationId);
    await this.deliver(memberIds, jobId, {
      kind: 'organization.verified',
      title: `${organization.name} has been verified by the market`,
      data: { organizationId: organization.id, verifiedAt: payload.verifiedAt },
    });
  }

  /**
   * Each agreed trade tells the seller's and the buyer's members (and the broker who mediated it).
   * Batched: the trades the worker runs at once are told in one transaction, their organizations'
   * members read in one query and every message inserted in one statement.
   */
  @OnJobBatch(QueueName.Notifications, JobName.TradeAgreed)
  async onTradesAgreed(jobs: BatchedJob<JobName.TradeAgreed>[]): Promise<void> {
    const members = await this.accounts.memberIdsOf(
      jobs.flatMap(({ payload }) => [payload.sellerOrganizationId, payload.buyerOrganizationId]),
    );
    const rows = jobs.flatMap(({ jobId, payload }) => {
      const data = { listingId: payload.listingId, tradeId: payload.tradeId, priceFen: payload.priceFen };
      const brokerUserId = payload.terms?.commission?.brokerUserId;
      const to = (userIds: string[], title: string) =>
        userIds.map((userId) => ({ userId, sourceEventId: jobId, kind: 'trade.agreed', title, data }));
      return [
        ...to(
          members.get(payload.sellerOrganizationId) ?? [],
          `「${payload.listingTitle}」成交：买方已确定，进入合同签订`,
        ),
        ...to(members.get(payload.buyerOrganizationId) ?? [], `「${payload.listingTitle}」成交：请与卖方签订技术合同`),
        ...to(
          brokerUserId ? [brokerUserId] : [],
          `「${payload.listingTitle}」成交：您居间的交易已达成，请协助双方签订技术合同`,
        ),
      ];
    });
    await this.insert(rows);
  }

  /** Something happened to a contract (a milestone overdue, completion): its parties and broker are told. */
  @OnJob(QueueName.Notifications, JobName.ContractNotice)
  async onContractNotice(payload: JobPayloads[JobName.ContractNotice], { jobId }: { jobId: string }): Promise<void> {
    const members = await this.accounts.memberIdsOf(payload.organizationIds);
    await this.deliver([...new Set([...members.values()].flat())], jobId, {
      kind: `contract.${payload.kind}`,
      title: payload.title,
      data: { contractId: payload.contractId, ...payload.data },
    });
  }

  /** Something happened in a negotiation: its parties' members (and its broker, when named) are told. */
  @OnJob(QueueName.Notifications, JobName.NegotiationNotice)
  async onNegotiationNotice(
    payload: JobPayloads[JobName.NegotiationNotice],
    { jobId }: { jobId: string },
  ): Promise<void> {
    const members = await this.accounts.memberIdsOf(payload.organizationIds);
    await this.deliver([...new Set([...[...members.values()].flat(), ...payload.userIds])], jobId, {
      kind: `negotiation.${payload.kind}`,
      title: NEGOTIATION_TITLES[payload.kind](payload.listingTitle),
      data: { negotiationId: payload.negotiationId, listingId: payload.listingId, ...payload.data },
    });
  }

  @OnJob(QueueName.Notifications, JobName.ListingConvertedToAuction)
  async onConvertedToAuction(
    payload: JobPayloads[JobName.ListingConvertedToAuction],
    { jobId }: { jobId: string },
  ): Promise<void> {
    const members = await this.accounts.memberIdsOf([payload.sellerOrganizationId, ...payload.buyerOrganizationIds]);
    await this.deliver([...members.values()].flat(), jobId, {
      kind: 'listing.converted_to_auction',
      title: `「${payload.listingTitle}」有多家意向受让方，转为竞价（拍卖）`,
      data: { listingId: payload.listingId, buyerOrganizationIds: payload.buyerOrganizationIds },
    });
  }

  @OnJob(QueueName.Notifications, JobName.DepositHeld)
  async onDepositHeld(payload: JobPayloads[JobName.DepositHeld], { jobId }: { jobId: string }): Promise<void> {
    const memberIds = await this.accounts.memberIds(payload.payerOrganizationId);
    await this.deliver(memberIds, jobId, {
      kind: 'deposit.held',
      title: `Your deposit of ${(payload.amountFen / 100).toFixed(2)} CNY is held`,
      data: {
        depositId: payload.depositId,
        purpose: payload.purpose,
        referenceId: payload.referenceId,
        amountFen: payload.amountFen,
        heldAt: payload.heldAt,
      },
    });
  }

  private async deliver(
    userIds: string[],
    sourceEventId: string,
    message: { kind: string; title: string; data: Record<string, unknown> },
  ): Promise<void> {
    await this.insert(userIds.map((userId) => ({ userId, sourceEventId, ...message })));
  }

  /**
   * Messages in one statement, column by column; one already there for its user and source event
   * (a redelivery) is left as it is. Plain SQL rather than the query builder: a batch of trades
   * tells a hundred users or more, and the builder numbers and returns every value of every row.
   */
  private async insert(
    rows: { userId: string; sourceEventId: string; kind: string; title: string; data: Record<string, unknown> }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.txHost.tx.query(
      `INSERT INTO notification (user_id, source_event_id, kind, title, data)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
       ON CONFLICT (user_id, source_event_id) DO NOTHING`,
      [
        rows.map((r) => r.userId),
        rows.map((r) => r.sourceEventId),
        rows.map((r) => r.kind),
        rows.map((r) => r.title),
        rows.map((r) => JSON.stringify(r.data)),
      ],
    );
  }
}
