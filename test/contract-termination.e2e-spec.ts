import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type { Account } from './support/accounts';
import { ContractMarket, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';

describe('termination by agreement (协商解除): proposed, answered, then cancelled at the registry', () => {
  const clock = new FakeClock();
  let m: ContractMarket;

  beforeAll(async () => {
    m = await startContractMarket(clock);
  });

  afterAll(async () => {
    await m?.close();
  });

  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1/contracts${path}`).set(bearer(as)).send(body);
  const contract = async (id: string) =>
    (await http(m.api).get(`/api/v1/contracts/${id}`).set(bearer(m.seller)).expect(200)).body;
  const notices = async (id: string) =>
    (
      await m.env.query<{ payload: { kind: string; organizationIds: string[] } }>(
        `SELECT payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2 ORDER BY created_at, id`,
        [JobName.ContractNotice, id],
      )
    ).map((row) => row.payload);

  it('ends a performing contract when the other party agrees and the office registers the cancellation', async () => {
    const id = await m.registered();
    expect((await contract(id)).status).toBe('performing');

    // Only a party proposes; the broker sees the contract but is not a party.
    expect((await post(`/${id}/terminations`, m.broker, { reason: 'x' })).body.code).toBe('CONTRACT.NOT_A_PARTY');
    await post(`/${id}/terminations`, m.outsider, { reason: 'x' }).expect(404);
    const first = await post(`/${id}/terminations`, m.buyer, { reason: '市场变化，买方无力继续履行' }).expect(201);
    expect(first.body).toMatchObject({ status: 'proposed', proposedBySide: 'buyer', cancellation: null });
    expect((await post(`/${id}/terminations`, m.seller, { reason: '另一提议' })).body.code).toBe(
      'CONTRACT.TERMINATION_WAITING',
    );
    const firstId = first.body.id as string;
    // The proposing side cannot answer its own proposal; the seller declines it.
    expect((await post(`/${id}/terminations/${firstId}/confirm`, m.buyer)).body.code).toBe(
      'CONTRACT.OTHER_PARTY_RESOLVES',
    );
    await post(`/${id}/terminations/${firstId}/decline`, m.seller, { reason: '卖方已完成大部分交付' }).expect(200);
    expect((await post(`/${id}/terminations/${firstId}/confirm`, m.seller)).body.code).toBe(
      'CONTRACT.TERMINATION_STATE',
    );
    expect((await contract(id)).status).toBe('performing');

    // Proposed again, and agreed: the cancellation registration is applied for at once.
    const second = await post(`/${id}/terminations`, m.buyer, { reason: '双方协商一致解除' }).expect(201);
    const agreed = await post(`/${id}/terminations/${second.body.id}/confirm`, m.seller).expect(200);
    expect(agreed.body).toMatchObject({
      status: 'agreed',
      answeredBy: m.seller.userId,
      cancellation: { kind: 'cancellation', status: 'under_review' },
    });
    expect((await contract(id)).status).toBe('performing'); // until the office registers it
    const listed = await http(m.api).get(`/api/v1/contracts/${id}/terminations`).set(bearer(m.broker)).expect(200);
    expect(listed.body.map((t: { status: string }) => t.status)).toEqual(['agreed', 'declined']);

    await http(m.api)
      .post(`/api/v1/registrations/${id}/decision`)
      .set(bearer(m.auditor))
      .send({ decision: 'register' })
      .expect(200);
    const ended = await contract(id);
    expect(ended.status).toBe('terminated');
    expect(ended.closedReason).toContain('双方协商一致解除');

    // A milestone falling due afterwards changes nothing.
    await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id);
    const statuses = (await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(m.buyer)).expect(200))
      .body as { status: string }[];
    expect(statuses.every((s) => s.status === 'pending')).toBe(true);

    // Every step is in the audit chain, and the parties and the broker were told of each.
    const trail = await http(m.api).get(`/api/v1/contracts/${id}/audit`).set(bearer(m.auditor)).expect(200);
    const actions = trail.body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'termination.proposed',
        'termination.declined',
        'termination.agreed',
        'registration.applied',
        'registration.register',
      ]),
    );
    const told = await notices(id);
    expect(told.map((n) => n.kind)).toEqual([
      'termination_proposed',
      'termination_declined',
      'termination_proposed',
      'termination_agreed',
      'terminated',
    ]);
    for (const n of told) {
      expect(n.organizationIds.sort()).toEqual(
        [m.seller.organizationId, m.buyer.organizationId, m.broker.organizationId].sort(),
      );
    }
    const last = (
      await m.env.query<{ id: string; payload: unknown }>(
        `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2 AND payload->>'kind' = 'terminated'`,
        [JobName.ContractNotice, id],
      )
    )[0];
    await m.worker
      .get(JobDispatcher)
      .run(QueueName.Notifications, { id: last.id, name: JobName.ContractNotice, data: last.payload });
    const inbox = await http(m.api).get('/api/v1/me/notifications').set(bearer(m.broker)).expect(200);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toContain('contract.terminated');
  });

  it('lets the proposing side withdraw, and nobody else', async () => {
    const id = await m.registered();
    const proposed = await post(`/${id}/terminations`, m.seller, { reason: '技术路线调整' }).expect(201);
    const tid = proposed.body.id as string;
    expect((await post(`/${id}/terminations/${tid}/withdraw`, m.buyer, { reason: 'x' })).body.code).toBe(
      'CONTRACT.PROPOSER_WITHDRAWS',
    );
    await post(`/${id}/terminations/${tid}/withdraw`, m.outsider, { reason: 'x' }).expect(404);
    const withdrawn = await post(`/${id}/terminations/${tid}/withdraw`, m.seller, { reason: '继续履行' }).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', answerReason: '继续履行' });
    // Another proposal may follow.
    await post(`/${id}/terminations`, m.buyer, { reason: '再次协商' }).expect(201);
  });

  it('is only for a contract in force: a draft is abandoned otherwise, a completed contract is over', async () => {
    const draft = await http(m.api)
      .post('/api/v1/contracts')
      .set(bearer(m.broker))
      .send({
        sellerOrganizationId: m.seller.organizationId,
        buyerOrganizationId: m.buyer.organizationId,
        projectName: '一种锂电池隔膜涂覆工艺技术秘密转让',
      })
      .expect(201);
    expect((await post(`/${draft.body.id}/terminations`, m.seller, { reason: 'x' })).body.code).toBe(
      'CONTRACT.INVALID_STATE',
    );
    // A proposal id of another contract is not this contract's.
    const a = await m.registered();
    const b = await m.registered();
    const onA = await post(`/${a}/terminations`, m.seller, { reason: '提前终止' }).expect(201);
    await post(`/${b}/terminations/${onA.body.id}/confirm`, m.buyer).expect(404);
  });

  it('takes no proposal while an application is open at the office, and withdraws one still waiting when the contract ends', async () => {
    const id = await m.registered();
    // A proposal waiting when one party applies for the cancellation alone, then another proposal.
    const waiting = await post(`/${id}/terminations`, m.buyer, { reason: '市场变化' }).expect(201);
    await post(`/${id}/cancellation`, m.seller, { reason: '卖方单方申请注销' }).expect(200);
    // Withdrawing stays possible; proposing again is refused while the application is open.
    await post(`/${id}/terminations/${waiting.body.id}/withdraw`, m.buyer, { reason: '改由注销登记' }).expect(200);
    const again = await post(`/${id}/terminations`, m.buyer, { reason: '再次提出' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONTRACT.REGISTRATION_STATE');

    // Another contract: the proposal is still waiting when the office registers the cancellation.
    const other = await m.registered();
    const left = await post(`/${other}/terminations`, m.buyer, { reason: '市场变化' }).expect(201);
    await post(`/${other}/cancellation`, m.seller, { reason: '卖方单方申请注销' }).expect(200);
    await http(m.api)
      .post(`/api/v1/registrations/${other}/decision`)
      .set(bearer(m.auditor))
      .send({ decision: 'register' })
      .expect(200);
    expect((await contract(other)).status).toBe('terminated');
    const listed = await http(m.api).get(`/api/v1/contracts/${other}/terminations`).set(bearer(m.buyer)).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: left.body.id, status: 'withdrawn', answerReason: '合同已终止' }),
    ]);
  });
});
