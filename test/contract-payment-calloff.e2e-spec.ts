import { randomBytes } from 'node:crypto';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type { Account } from './support/accounts';
import { ContractMarket, signContract, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';
import { deliverStripeEvent, StripeFake, startStripeFake } from './support/stripe-fake';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

interface DepositRead {
  status: string;
  refundDue: boolean;
  refundDueAt: string | null;
  failureReason: string | null;
}

/**
 * Payments of contract milestones that are called off (by a registered change, or because the
 * contract ended) while the payer is paying: whatever order the card's charge, the webhook and the
 * call-off come in, money taken is on the books, and owed back when nothing asks for it any more.
 */
describe('contract payments called off while being paid', () => {
  const clock = new FakeClock();
  let stripeFake: StripeFake;
  let m: ContractMarket;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    m = await startContractMarket(clock, {
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripeFake.url,
    });
  });

  afterAll(async () => {
    await m?.close();
    await stripeFake?.close();
  });

  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1${path}`).set(bearer(as)).send(body);
  const deposit = async (id: string, as: Account = m.finance) =>
    (await http(m.api).get(`/api/v1/payments/deposits/${id}`).set(bearer(as)).expect(200)).body as DepositRead;
  const milestones = async (id: string) =>
    (await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(m.buyer)).expect(200)).body as {
      key: string;
      status: string;
      depositId: string | null;
    }[];
  /** Runs every outbox job of this name about the deposit, as the worker would. */
  const runDepositJobs = async (queue: QueueName, job: JobName, depositId: string) => {
    const rows = await m.env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2 ORDER BY created_at, id`,
      [job, depositId],
    );
    for (const row of rows) await m.worker.get(JobDispatcher).run(queue, { id: row.id, name: job, data: row.payload });
    return rows.length;
  };
  const actions = async (id: string) =>
    (
      (await http(m.api).get(`/api/v1/contracts/${id}/audit`).set(bearer(m.seller)).expect(200)).body as {
        action: string;
      }[]
    ).map((e) => e.action);

  /** A registered contract whose m1 (300,000 fen) the buyer is paying by card; the change drops m1's amount. */
  const payingByCard = async () => {
    const id = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2027-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 300_000 },
      ],
    });
    const opened = await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'stripe' }).expect(201);
    return { id, depositId: opened.body.deposit.id as string, intentId: opened.body.stripe.paymentIntentId as string };
  };
  const registerChange = async (id: string) => {
    await post(`/contracts/${id}/amendments`, m.seller, {
      reason: '首付款调整',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2027-04-01', amountFen: 200_000 },
        { key: 'm2', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 400_000 },
      ],
    }).expect(201);
    await signContract(m.api, id, m.seller, 2).expect(200);
    await signContract(m.api, id, m.buyer, 2).expect(200);
    await post(`/contracts/${id}/change-registration`, m.seller).expect(200);
    await post(`/registrations/${id}/decision`, m.auditor, { decision: 'register' }).expect(200);
  };

  it('books a card charged just before a change called it off, when the webhook comes after, and marks it owed back', async () => {
    const { id, depositId, intentId } = await payingByCard();
    // The buyer confirms the card (charged at once) just before the office registers the change.
    const charged = stripeFake.authorise(intentId);
    await registerChange(id);
    expect((await deposit(depositId)).status).toBe('releasing');

    // Stripe's word arrives: the deposit is captured, not left releasing, and announced.
    await deliverStripeEvent(m.api, stripeFake.event('payment_intent.succeeded', charged), WEBHOOK_SECRET).expect(200);
    expect((await deposit(depositId)).status).toBe('captured');
    // The release job finds nothing to do: no cancel asked of Stripe.
    await runDepositJobs(QueueName.Payments, JobName.DepositRelease, depositId);
    expect(stripeFake.effects(intentId, 'cancel')).toBe(0);
    expect((await deposit(depositId)).status).toBe('captured');

    // The contract's handler finds m1 no longer asking for it: owed back, visible to finance and the payer.
    expect(await runDepositJobs(QueueName.Contracts, JobName.DepositCaptured, depositId)).toBe(1);
    const owed = await deposit(depositId);
    expect(owed).toMatchObject({ status: 'captured', refundDue: true });
    expect(owed.refundDueAt).not.toBeNull();
    expect((await deposit(depositId, m.buyer)).refundDue).toBe(true);
    expect((await milestones(id)).find((r) => r.key === 'm1')).toMatchObject({ status: 'pending', depositId: null });
    expect(await actions(id)).toContain('milestone.payment_unmatched');
    expect(stripeFake.effects(intentId, 'charge')).toBe(1);
  });

  it('books a card charged just before a change called it off, when the release job reaches Stripe first', async () => {
    const { id, depositId, intentId } = await payingByCard();
    const charged = stripeFake.authorise(intentId);
    await registerChange(id);
    // Stripe refuses the cancel (the intent succeeded): the release job records the charge, no dead letter.
    await runDepositJobs(QueueName.Payments, JobName.DepositRelease, depositId);
    expect(stripeFake.effects(intentId, 'cancel')).toBe(0);
    expect((await deposit(depositId)).status).toBe('captured');
    // The webhook that follows changes nothing more: one deposit.captured.
    await deliverStripeEvent(m.api, stripeFake.event('payment_intent.succeeded', charged), WEBHOOK_SECRET).expect(200);
    expect(await runDepositJobs(QueueName.Contracts, JobName.DepositCaptured, depositId)).toBe(1);
    expect(await deposit(depositId)).toMatchObject({ status: 'captured', refundDue: true });
    expect(await actions(id)).toContain('milestone.payment_unmatched');
  });

  it('marks owed back a card payment whose charge was booked before a change called it off', async () => {
    const { id, depositId, intentId } = await payingByCard();
    // Charged and booked (deposit captured) but the contract's job has not run yet when the change lands.
    await deliverStripeEvent(
      m.api,
      stripeFake.event('payment_intent.succeeded', stripeFake.authorise(intentId)),
      WEBHOOK_SECRET,
    ).expect(200);
    expect((await deposit(depositId)).status).toBe('captured');
    await registerChange(id); // the change decides on the deposit as locked: captured, left to its job
    await runDepositJobs(QueueName.Contracts, JobName.DepositCaptured, depositId);
    expect(await deposit(depositId)).toMatchObject({ status: 'captured', refundDue: true });
    expect((await milestones(id)).find((r) => r.key === 'm1')?.status).toBe('pending');
  });

  it('keeps a declined card payment open, so the retry of the same intent pays the milestone once', async () => {
    const { id, depositId, intentId } = await payingByCard();
    await deliverStripeEvent(
      m.api,
      stripeFake.event('payment_intent.payment_failed', stripeFake.decline(intentId)),
      WEBHOOK_SECRET,
    ).expect(200);
    // Still the live payment of m1, with Stripe's refusal to show; no second payment may be opened.
    expect(await deposit(depositId)).toMatchObject({ status: 'pending', failureReason: 'Your card was declined.' });
    expect((await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'stripe' })).status).toBe(409);
    // The buyer confirms the same intent with another card: charged once, booked, the milestone paid.
    await deliverStripeEvent(
      m.api,
      stripeFake.event('payment_intent.succeeded', stripeFake.authorise(intentId)),
      WEBHOOK_SECRET,
    ).expect(200);
    expect((await deposit(depositId)).status).toBe('captured');
    await runDepositJobs(QueueName.Contracts, JobName.DepositCaptured, depositId);
    expect((await milestones(id)).find((r) => r.key === 'm1')?.status).toBe('paid');
    expect((await deposit(depositId)).refundDue).toBe(false);
    expect(stripeFake.effects(intentId, 'charge')).toBe(1);
  });

  it('calls off the open payments of a contract the office cancels, and gives back or owes back what arrives after', async () => {
    const id = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2027-04-01', amountFen: 100_000 },
        { key: 'm2', kind: 'payment', title: '二期款', dueOn: '2027-06-01', amountFen: 200_000 },
        { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 300_000 },
      ],
    });
    const card = await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'stripe' }).expect(201);
    const transfer = await post(`/contracts/${id}/milestones/m2/payment`, m.buyer, { method: 'offline' }).expect(201);
    const charged = await post(`/contracts/${id}/milestones/m3/payment`, m.buyer, { method: 'stripe' }).expect(201);
    // m3's card is charged and booked just before the cancellation; its contract job has not run.
    await deliverStripeEvent(
      m.api,
      stripeFake.event('payment_intent.succeeded', stripeFake.authorise(charged.body.stripe.paymentIntentId as string)),
      WEBHOOK_SECRET,
    ).expect(200);

    const proposed = await post(`/contracts/${id}/terminations`, m.buyer, { reason: '双方协商一致解除' }).expect(201);
    await post(`/contracts/${id}/terminations/${proposed.body.id}/confirm`, m.seller).expect(200);
    await post(`/registrations/${id}/decision`, m.auditor, { decision: 'register' }).expect(200);

    // The card payment not yet made is called off at Stripe; the transfer is no longer expected.
    expect((await deposit(card.body.deposit.id as string)).status).toBe('releasing');
    expect((await deposit(transfer.body.deposit.id as string)).status).toBe('releasing');
    await runDepositJobs(QueueName.Payments, JobName.DepositRelease, card.body.deposit.id as string);
    expect(stripeFake.intent(card.body.stripe.paymentIntentId as string).status).toBe('canceled');
    expect((await deposit(card.body.deposit.id as string)).status).toBe('canceled');
    // The charge booked before the cancellation is owed back, not recorded as paid.
    await runDepositJobs(QueueName.Contracts, JobName.DepositCaptured, charged.body.deposit.id as string);
    expect(await deposit(charged.body.deposit.id as string)).toMatchObject({ status: 'captured', refundDue: true });
    const rows = await milestones(id);
    expect(rows.map((r) => [r.key, r.status, r.depositId])).toEqual([
      ['m1', 'pending', null],
      ['m2', 'pending', null],
      ['m3', 'pending', null],
    ]);
    // No payment can be asked for any more.
    expect((await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'stripe' })).body.code).toBe(
      'CONTRACT.NOT_PERFORMING',
    );
  });

  it('gives back a bank transfer held after the contract ended', async () => {
    const id = await m.registered({
      validUntil: '2027-12-31',
      milestones: [{ key: 'm1', kind: 'payment', title: '全款', dueOn: '2027-04-01', amountFen: 600_000 }],
    });
    const transfer = await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'offline' }).expect(201);
    const depositId = transfer.body.deposit.id as string;
    // Finance records the transfer in the moment before the office registers the cancellation.
    const proposed = await post(`/contracts/${id}/terminations`, m.seller, { reason: '技术路线调整' }).expect(201);
    await post(`/contracts/${id}/terminations/${proposed.body.id}/confirm`, m.buyer).expect(200);
    await post(`/payments/deposits/${depositId}/offline-receipt`, m.finance).expect(200);
    await post(`/registrations/${id}/decision`, m.auditor, { decision: 'register' }).expect(200);
    await runDepositJobs(QueueName.Contracts, JobName.DepositHeld, depositId);
    expect((await deposit(depositId)).status).toBe('releasing');
    await runDepositJobs(QueueName.Payments, JobName.DepositRelease, depositId);
    expect(await deposit(depositId)).toMatchObject({ status: 'released', refundDue: true });
    expect((await milestones(id))[0].status).toBe('pending');
    expect(await actions(id)).toContain('milestone.payment_returned');
  });
});
