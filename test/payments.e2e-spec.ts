import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import Stripe from 'stripe';
import { toProblem } from '@market/http';
import { Role } from '@market/identity';
import { DepositOpening, DepositRequest, DepositsService, DepositView } from '@market/payments';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { settleDeposit } from './support/deposits';
import { Api, eventually, http, startApi, startWorker } from './support/market';
import { deliverStripeEvent, FakeIntent, StripeFake, startStripeFake } from './support/stripe-fake';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const WEBHOOK = '/api/v1/payments/stripe/webhook';
const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

const bearer = (account: Account) => `Bearer ${account.token}`;

/** The error a promise rejects with, as the problem+json the API would answer with. */
async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  return toProblem(error);
}

/**
 * These tests call DepositsService from the api process as another context would, run the payment
 * jobs as the worker would, and check the outcome over HTTP and in the database.
 */
function depositsOf(api: Api, env: TestEnvironment, worker: INestApplicationContext) {
  const service = () => api.get(DepositsService);
  return {
    request: (payer: Account, overrides: Partial<DepositRequest> = {}): Promise<DepositOpening> =>
      service().requestDeposit({
        purpose: 'auction',
        referenceId: randomUUID(),
        payerOrganizationId: payer.organizationId,
        amountFen: 500_000,
        ...overrides,
      }),
    release: (id: string) => settleDeposit(worker, env, id, 'release'),
    capture: (id: string) => settleDeposit(worker, env, id, 'capture'),
    isHeld: (d: DepositView) => service().isHeld(d.referenceId, d.payerOrganizationId),
    read: (account: Account, id: string) =>
      http(api).get(`/api/v1/payments/deposits/${id}`).set('authorization', bearer(account)),
  };
}

describe('deposits by bank transfer, on a market without Stripe', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  let deposits: ReturnType<typeof depositsOf>;
  let buyer: Account;
  let broker: Account;
  let admin: Account;
  let finance: Account;

  beforeAll(async () => {
    for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_URL']) delete process.env[key];
    env = await createTestEnvironment();
    api = await startApi();
    worker = await startWorker({ consume: false });
    deposits = depositsOf(api, env, worker);
    buyer = await registerAccount(api, { roles: [Role.Buyer] });
    broker = await registerAccount(api, { roles: [Role.Broker] });
    admin = await createAdmin(api, env);
    finance = await addMember(api, admin, admin.organizationId, [Role.Finance]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  const recordReceipt = (account: Account, id: string) =>
    http(api).post(`/api/v1/payments/deposits/${id}/offline-receipt`).set('authorization', bearer(account));

  it('takes deposits by bank transfer by default and refuses a card deposit with a 422', async () => {
    const opening = await deposits.request(buyer, { amountFen: 1_234_500 });
    expect(opening.deposit).toMatchObject({ method: 'offline', status: 'pending', amountFen: 1_234_500 });
    expect(opening.stripe).toBeUndefined();
    expect(opening.bankTransfer).toMatchObject({ reference: opening.deposit.offlineReference, amountFen: 1_234_500 });
    expect(opening.bankTransfer?.reference).toMatch(/^BZJ-[0-9A-F]{12}$/);
    expect(opening.bankTransfer?.instructions).toContain('12345.00 CNY');

    const refused = await problemOf(deposits.request(buyer, { method: 'stripe' }));
    expect(refused).toMatchObject({ status: 422, code: 'PAYMENTS.STRIPE_NOT_CONFIGURED' });

    const webhook = await http(api).post(WEBHOOK).set('content-type', 'application/json').send('{}');
    expect(webhook.status).toBe(422);
    expect(webhook.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses malformed deposit requests with a 400', async () => {
    for (const overrides of [
      { amountFen: 0 },
      { amountFen: 12.5 },
      { referenceId: 'auction-1' },
      { purpose: 'lottery' },
    ]) {
      const problem = await problemOf(deposits.request(buyer, overrides as Partial<DepositRequest>));
      expect(problem.status).toBe(400);
    }
  });

  it("holds a deposit once the operator's finance records the transfer; recording it again changes nothing", async () => {
    const { deposit } = await deposits.request(buyer);

    const held = await recordReceipt(finance, deposit.id).expect(200);
    expect(held.body).toMatchObject({ id: deposit.id, status: 'held' });
    expect(held.body.heldAt).toEqual(expect.any(String));
    expect(await deposits.isHeld(deposit)).toBe(true);
    const [row] = await env.query<{ receipt_recorded_by: string }>(
      `SELECT receipt_recorded_by FROM deposit WHERE id = $1`,
      [deposit.id],
    );
    expect(row.receipt_recorded_by).toBe(finance.userId);

    // Recorded again (a double click, a retry): the same answer and no second announcement.
    const again = await recordReceipt(admin, deposit.id).expect(200);
    expect(again.body).toMatchObject({ status: 'held', heldAt: held.body.heldAt });
    const events = await env.query(
      `SELECT id FROM outbox_event WHERE job_name = 'deposit.held' AND payload->>'depositId' = $1`,
      [deposit.id],
    );
    expect(events).toHaveLength(1);
  });

  it('lets no party and no broker record a transfer, its own deposit included, and the deposit stays pending', async () => {
    const agency = await registerAccount(api, { roles: [Role.Broker, Role.Buyer] });
    const qualifiedBroker = await addMember(api, admin, agency.organizationId, [Role.Broker]);
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const own = (await deposits.request(agency)).deposit;
    const others = (await deposits.request(buyer)).deposit;

    for (const [caller, deposit] of [
      [buyer, others],
      [agency, own],
      [agency, others],
      [broker, others],
      [qualifiedBroker, own],
      [seller, others],
    ] as const) {
      const refused = await recordReceipt(caller, deposit.id);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.code).toBe('IDENTITY.MISSING_ROLE');
    }
    for (const deposit of [own, others]) {
      expect(await deposits.isHeld(deposit)).toBe(false);
      const [row] = await env.query<{ status: string; receipt_recorded_by: string | null }>(
        `SELECT status, receipt_recorded_by FROM deposit WHERE id = $1`,
        [deposit.id],
      );
      expect(row).toEqual({ status: 'pending', receipt_recorded_by: null });
    }
    expect(
      await env.query(
        `SELECT id FROM outbox_event WHERE job_name = 'deposit.held' AND payload->>'depositId' = ANY($1)`,
        [[own.id, others.id]],
      ),
    ).toHaveLength(0);

    // The service, called by another context, holds the same rule.
    expect(
      await problemOf(api.get(DepositsService).recordOfflineReceipt(own.id, { ...agency, roles: [Role.Broker] })),
    ).toMatchObject({
      status: 403,
      code: 'PAYMENTS.RECEIPT_BY_OPERATOR_ONLY',
    });
  });

  it("lets no finance clerk record its own organization's transfer: a party may not confirm its own payment", async () => {
    const payer = await registerAccount(api, { roles: [Role.Buyer] });
    const insideClerk = await addMember(api, admin, payer.organizationId, [Role.Finance]);
    const { deposit } = await deposits.request(payer);

    const refused = await recordReceipt(insideClerk, deposit.id);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('PAYMENTS.OWN_DEPOSIT');
    const [row] = await env.query<{ status: string; receipt_recorded_by: string | null }>(
      `SELECT status, receipt_recorded_by FROM deposit WHERE id = $1`,
      [deposit.id],
    );
    expect(row).toEqual({ status: 'pending', receipt_recorded_by: null });
    expect(
      await env.query(`SELECT id FROM outbox_event WHERE job_name = 'deposit.held' AND payload->>'depositId' = $1`, [
        deposit.id,
      ]),
    ).toHaveLength(0);

    // The operator's own finance still records it.
    expect((await recordReceipt(finance, deposit.id).expect(200)).body.status).toBe('held');
  });

  it("shows a deposit to the payer's members, finance and admins, and is a 404 to brokers and other organizations", async () => {
    const { deposit } = await deposits.request(buyer);
    const outsider = await registerAccount(api, { roles: [Role.Buyer] });
    const colleague = await addMember(api, admin, buyer.organizationId, [Role.Seller]);

    for (const reader of [buyer, colleague, finance, admin]) {
      expect((await deposits.read(reader, deposit.id)).body).toMatchObject({ id: deposit.id, amountFen: 500_000 });
    }
    for (const reader of [outsider, broker]) {
      const hidden = await deposits.read(reader, deposit.id);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('DEPOSIT.NOT_FOUND');
    }
    // The same answer as for a deposit that does not exist.
    expect((await deposits.read(outsider, randomUUID())).body.code).toBe('DEPOSIT.NOT_FOUND');
    expect((await deposits.read(buyer, 'not-a-uuid')).status).toBe(400);
    expect((await http(api).get(`/api/v1/payments/deposits/${deposit.id}`)).status).toBe(401);
  });

  it('allows one live deposit per payer and reference, even when two requests race', async () => {
    const referenceId = randomUUID();
    const results = await Promise.allSettled([
      deposits.request(buyer, { referenceId }),
      deposits.request(buyer, { referenceId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((r) => r.status === 'rejected');
    expect(toProblem(rejected.reason).status).toBe(409);

    const first = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<DepositOpening>).value;
    const second = await problemOf(deposits.request(buyer, { referenceId }));
    expect(second).toMatchObject({ status: 409, code: 'PAYMENTS.DEPOSIT_ALREADY_LIVE', depositId: first.deposit.id });

    // Another payer may deposit for the same auction; the same payer again once the first is over.
    await deposits.request(broker, { referenceId });
    await deposits.release(first.deposit.id);
    await deposits.request(buyer, { referenceId });
    expect(await env.query(`SELECT id FROM deposit WHERE reference_id = $1`, [referenceId])).toHaveLength(3);
  });

  it('releases a held transfer as a refund due, captures another, and never both', async () => {
    const loser = (await deposits.request(buyer)).deposit;
    const winner = (await deposits.request(buyer)).deposit;
    await recordReceipt(finance, loser.id).expect(200);
    await recordReceipt(finance, winner.id).expect(200);

    const released = await deposits.release(loser.id);
    expect(released).toMatchObject({ status: 'released', refundDue: true });
    expect(await deposits.release(loser.id)).toMatchObject({ status: 'released', releasedAt: released.releasedAt });
    expect(await problemOf(deposits.capture(loser.id))).toMatchObject({
      status: 409,
      code: 'PAYMENTS.DEPOSIT_NOT_HELD',
    });

    expect(await deposits.capture(winner.id)).toMatchObject({ status: 'captured', refundDue: false });
    expect(await problemOf(deposits.release(winner.id))).toMatchObject({
      status: 409,
      code: 'PAYMENTS.DEPOSIT_CAPTURED',
    });
    expect(await deposits.isHeld(winner)).toBe(false);
    expect(await problemOf(deposits.capture(randomUUID()))).toMatchObject({ status: 404 });
  });

  it('calls off a pending transfer deposit on release, and refuses a receipt for it afterwards', async () => {
    const { deposit } = await deposits.request(buyer);
    expect(await deposits.release(deposit.id)).toMatchObject({ status: 'canceled', refundDue: false });
    const late = await recordReceipt(finance, deposit.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PAYMENTS.DEPOSIT_CLOSED');
  });
});

describe('deposits by card, through Stripe', () => {
  let stripeFake: StripeFake;
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  let deposits: ReturnType<typeof depositsOf>;
  let buyer: Account;
  /** The official SDK pointed at the fake, as a second party touching the same intents. */
  let stripe: Stripe;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    env = await createTestEnvironment({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripeFake.url,
    });
    api = await startApi();
    worker = await startWorker();
    deposits = depositsOf(api, env, worker);
    buyer = await registerAccount(api, { roles: [Role.Buyer] });
    const url = new URL(stripeFake.url);
    stripe = new Stripe(SECRET_KEY, { host: url.hostname, port: url.port, protocol: 'http' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
    await stripeFake?.close();
  });

  const deliver = (event: { id: string }, secret = WEBHOOK_SECRET) => deliverStripeEvent(api, event, secret);

  /** A card deposit whose card the payer has confirmed, and the webhook that says so. */
  const heldDeposit = async (amountFen = 500_000) => {
    const opening = await deposits.request(buyer, { amountFen });
    const intent = stripeFake.authorise(opening.stripe!.paymentIntentId);
    await deliver(stripeFake.event('payment_intent.amount_capturable_updated', intent)).expect(200);
    return { deposit: opening.deposit, intentId: intent.id };
  };

  const captureRequests = (intentId: string) =>
    stripeFake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payment_intents/${intentId}/capture`);

  it("holds a card deposit once Stripe reports the authorisation, and tells the payer's members", async () => {
    const opening = await deposits.request(buyer, { amountFen: 800_000 });
    expect(opening.deposit).toMatchObject({ method: 'stripe', status: 'pending', amountFen: 800_000 });
    const intentId = opening.stripe!.paymentIntentId;
    const intent: FakeIntent = stripeFake.intent(intentId);
    expect(intent).toMatchObject({
      amount: 800_000,
      currency: 'cny',
      capture_method: 'manual',
      metadata: { depositId: opening.deposit.id },
    });
    expect(opening.stripe!.clientSecret).toBe(intent.client_secret);
    expect(stripeFake.requests.find((r) => r.path === '/v1/payment_intents')?.idempotencyKey).toBeDefined();
    expect(await deposits.isHeld(opening.deposit)).toBe(false);

    const delivered = await deliver(
      stripeFake.event('payment_intent.amount_capturable_updated', stripeFake.authorise(intentId)),
    ).expect(200);
    expect(delivered.body).toEqual({ received: true, duplicate: false });

    const read = await deposits.read(buyer, opening.deposit.id).expect(200);
    expect(read.body).toMatchObject({ status: 'held', method: 'stripe' });
    expect(JSON.stringify(read.body)).not.toContain(intent.client_secret);
    expect(await deposits.isHeld(opening.deposit)).toBe(true);

    const inbox = await eventually(
      async () => {
        const response = await http(api).get('/api/v1/me/notifications').set('authorization', bearer(buyer));
        const items = (response.body.items as { kind: string; data: { depositId: string } }[]).filter(
          (n) => n.data.depositId === opening.deposit.id,
        );
        return items.length > 0 ? items : undefined;
      },
      15_000,
      'the deposit.held notification',
    );
    expect(inbox).toHaveLength(1);
    expect(inbox[0].kind).toBe('deposit.held');
  });

  it('applies a webhook delivered three times only once', async () => {
    const opening = await deposits.request(buyer);
    const event = stripeFake.event(
      'payment_intent.amount_capturable_updated',
      stripeFake.authorise(opening.stripe!.paymentIntentId),
    );
    const responses = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);

    expect(await env.query(`SELECT id FROM stripe_event WHERE id = $1`, [event.id])).toHaveLength(1);
    const announced = await env.query(
      `SELECT id FROM outbox_event WHERE job_name = 'deposit.held' AND payload->>'depositId' = $1`,
      [opening.deposit.id],
    );
    expect(announced).toHaveLength(1);
    expect((await deposits.read(buyer, opening.deposit.id)).body.status).toBe('held');
  });

  it('refuses a webhook whose signature does not match its body with a 400 problem', async () => {
    const opening = await deposits.request(buyer);
    const event = stripeFake.event(
      'payment_intent.amount_capturable_updated',
      stripeFake.authorise(opening.stripe!.paymentIntentId),
    );

    const forged = await deliver(event, `whsec_${randomBytes(16).toString('hex')}`);
    expect(forged.status).toBe(400);
    expect(forged.headers['content-type']).toContain('application/problem+json');
    expect(forged.body).toMatchObject({ status: 400, code: 'PAYMENTS.BAD_WEBHOOK_SIGNATURE' });

    // Signed, then altered on the way.
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const tampered = await http(api)
      .post(WEBHOOK)
      .set('content-type', 'application/json')
      .set('stripe-signature', signature)
      .send(payload.replace(`"amount":500000`, `"amount":5`));
    expect(tampered.status).toBe(400);

    const unsigned = await http(api).post(WEBHOOK).set('content-type', 'application/json').send(payload);
    expect(unsigned.status).toBe(400);

    expect((await deposits.read(buyer, opening.deposit.id)).body.status).toBe('pending');
    expect(await env.query(`SELECT id FROM stripe_event WHERE id = $1`, [event.id])).toHaveLength(0);
  });

  it('captures a held deposit once, however often capture is called', async () => {
    const { deposit, intentId } = await heldDeposit();
    const results = await Promise.all([deposits.capture(deposit.id), deposits.capture(deposit.id)]);
    expect(results.map((r) => r.status)).toEqual(['captured', 'captured']);
    expect(await deposits.capture(deposit.id)).toMatchObject({ status: 'captured', capturedAt: results[0].capturedAt });

    expect(stripeFake.effects(intentId, 'capture')).toBe(1);
    expect(captureRequests(intentId)).toEqual([
      expect.objectContaining({ idempotencyKey: `deposit-${deposit.id}-capture` }),
    ]);
    expect(stripeFake.intent(intentId).status).toBe('succeeded');
  });

  it('moves no money for a capture or release asked in a transaction that rolls back', async () => {
    const { deposit, intentId } = await heldDeposit();
    for (const ask of [
      (id: string) => api.get(DepositsService).requestCapture(id),
      (id: string) => api.get(DepositsService).requestRelease(id),
    ]) {
      const rolledBack = api
        .get(TransactionHost)
        .withTransaction(async () => {
          await ask(deposit.id);
          throw new Error('the caller fails after asking');
        })
        .catch((e: Error) => e.message);
      expect(await rolledBack).toBe('the caller fails after asking');
    }

    expect((await deposits.read(buyer, deposit.id)).body.status).toBe('held');
    expect(
      await env.query(`SELECT id FROM outbox_event WHERE payload->>'depositId' = $1 AND job_name <> 'deposit.held'`, [
        deposit.id,
      ]),
    ).toHaveLength(0);
    expect(stripeFake.intent(intentId).status).toBe('requires_capture');
    expect(stripeFake.effects(intentId, 'capture') + stripeFake.effects(intentId, 'cancel')).toBe(0);
  });

  it('finishes a capture that reached Stripe but was never recorded, without capturing twice', async () => {
    // Stripe already captured under the deposit's key: a first attempt whose record was lost.
    const { deposit, intentId } = await heldDeposit();
    await stripe.paymentIntents.capture(intentId, {}, { idempotencyKey: `deposit-${deposit.id}-capture` });
    expect((await deposits.read(buyer, deposit.id)).body.status).toBe('held');

    expect(await deposits.capture(deposit.id)).toMatchObject({ status: 'captured' });
    expect(captureRequests(intentId)).toHaveLength(2);
    expect(stripeFake.effects(intentId, 'capture')).toBe(1);
  });

  it('finishes a capture whose idempotency key Stripe no longer remembers', async () => {
    const { deposit, intentId } = await heldDeposit();
    await stripe.paymentIntents.capture(intentId);

    expect(await deposits.capture(deposit.id)).toMatchObject({ status: 'captured' });
    expect(stripeFake.effects(intentId, 'capture')).toBe(1);
  });

  it('releases a held card deposit by canceling its intent once, and ignores the echoing webhook', async () => {
    const { deposit, intentId } = await heldDeposit();
    const [first, second] = await Promise.all([deposits.release(deposit.id), deposits.release(deposit.id)]);
    expect(first).toMatchObject({ status: 'released', refundDue: false });
    expect(second.releasedAt).toBe(first.releasedAt);
    expect(stripeFake.intent(intentId).status).toBe('canceled');
    expect(stripeFake.effects(intentId, 'cancel')).toBe(1);

    await deliver(stripeFake.event('payment_intent.canceled', stripeFake.intent(intentId))).expect(200);
    expect((await deposits.read(buyer, deposit.id)).body).toMatchObject({
      status: 'released',
      releasedAt: first.releasedAt,
    });
    expect(await problemOf(deposits.capture(deposit.id))).toMatchObject({
      status: 409,
      code: 'PAYMENTS.DEPOSIT_NOT_HELD',
    });
  });

  it('calls off a pending card deposit on release', async () => {
    const opening = await deposits.request(buyer);
    expect(await deposits.release(opening.deposit.id)).toMatchObject({ status: 'canceled' });
    expect(stripeFake.intent(opening.stripe!.paymentIntentId).status).toBe('canceled');
  });

  it('fails a deposit whose card is declined, after which the payer may try again', async () => {
    const opening = await deposits.request(buyer);
    const declined = stripeFake.decline(opening.stripe!.paymentIntentId, 'Your card has insufficient funds.');
    await deliver(stripeFake.event('payment_intent.payment_failed', declined)).expect(200);
    expect((await deposits.read(buyer, opening.deposit.id)).body).toMatchObject({
      status: 'failed',
      failureReason: 'Your card has insufficient funds.',
    });
    const retry = await deposits.request(buyer, { referenceId: opening.deposit.referenceId });
    expect(retry.deposit.status).toBe('pending');
  });

  it('takes bank transfers too when asked, and acknowledges events about other intents', async () => {
    const offline = await deposits.request(buyer, { method: 'offline' });
    expect(offline.deposit.method).toBe('offline');
    const foreign = {
      ...stripeFake.intent((await deposits.request(buyer)).stripe!.paymentIntentId),
      id: 'pi_elsewhere',
    };
    await deliver(stripeFake.event('payment_intent.amount_capturable_updated', foreign)).expect(200);
    await deliver(stripeFake.event('charge.refunded', foreign)).expect(200);
  });
});
