import { createHash, randomBytes } from 'node:crypto';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type { Account } from './support/accounts';
import { ContractMarket, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';
import { deliverStripeEvent, StripeFake, startStripeFake } from './support/stripe-fake';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

describe('performance tracking (履行跟踪): due milestones, deliverables with evidence, payments, completion', () => {
  const clock = new FakeClock();
  let stripeFake: StripeFake;
  let m: ContractMarket;
  let id: string;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    m = await startContractMarket(clock, {
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripeFake.url,
    });
    // Valid from 1 March 2026; milestones due 1 April (payment), 1 June (deliverable), 1 September (payment).
    id = await m.registered();
  });

  afterAll(async () => {
    await m?.close();
    await stripeFake?.close();
  });

  const milestones = async (as: Account = m.buyer) =>
    (await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(as)).expect(200)).body as {
      key: string;
      status: string;
      [k: string]: unknown;
    }[];
  const statusOf = async (key: string) => (await milestones()).find((x) => x.key === key)!.status;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
  const evidence = (overrides: Partial<{ fileName: string; contentType: string; bytes: Buffer }> = {}) => ({
    fileName: '工艺包交付确认单.pdf',
    contentType: 'application/pdf',
    bytes: pdf,
    ...overrides,
  });
  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1/contracts/${id}${path}`).set(bearer(as)).send(body);
  /** A real multipart/form-data upload: the file part `file`, and a `note`. */
  const deliver = (key: string, as: Account, file = evidence(), note = '按期交付') =>
    http(m.api)
      .post(`/api/v1/contracts/${id}/milestones/${key}/complete`)
      .set(bearer(as))
      .field('note', note)
      .attach('file', file.bytes, { filename: file.fileName, contentType: file.contentType });

  it('starts performing at registration once the validity has begun, tracking every milestone', async () => {
    const contract = (await http(m.api).get(`/api/v1/contracts/${id}`).set(bearer(m.seller)).expect(200)).body;
    expect(contract.status).toBe('performing');
    expect((await milestones()).map((x) => [x.key, x.kind, x.status])).toEqual([
      ['m1', 'payment', 'pending'],
      ['m2', 'deliverable', 'pending'],
      ['m3', 'payment', 'pending'],
    ]);
    for (const who of [m.seller, m.broker, m.auditor, m.admin]) {
      await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(who)).expect(200);
    }
    await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(m.outsider)).expect(404);
  });

  it('waits for a validity that starts later: registered until its start job runs on the day', async () => {
    const later = await m.registered({
      validFrom: '2027-03-01',
      validUntil: '2028-02-28',
      milestones: [{ key: 'm1', kind: 'payment', title: '全款', dueOn: '2027-06-01', amountFen: 600_000 }],
    });
    const status = async () =>
      (await http(m.api).get(`/api/v1/contracts/${later}`).set(bearer(m.seller)).expect(200)).body.status;
    expect(await status()).toBe('registered');
    await m.runJobs(QueueName.Contracts, JobName.ContractPerformanceStart, later); // early: scheduled again
    expect(await status()).toBe('registered');
    const saved = clock.now().getTime();
    clock.advance(new Date('2027-03-01T00:00:00+08:00').getTime() - saved);
    try {
      await m.runJobs(QueueName.Contracts, JobName.ContractPerformanceStart, later);
      expect(await status()).toBe('performing');
    } finally {
      clock.advance(saved - clock.now().getTime());
    }
  });

  it('marks milestones overdue through their due jobs and tells the parties and the broker, once', async () => {
    expect(await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id)).toBe(3);
    expect((await milestones()).map((x) => x.status)).toEqual(['overdue', 'overdue', 'overdue']);
    const notices = await m.env.query<{ id: string; payload: { organizationIds: string[]; kind: string } }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2`,
      [JobName.ContractNotice, id],
    );
    expect(notices).toHaveLength(3);
    expect(notices[0].payload.organizationIds.sort()).toEqual(
      [m.seller.organizationId, m.buyer.organizationId, m.broker.organizationId].sort(),
    );
    for (const row of notices) {
      await m.worker
        .get(JobDispatcher)
        .run(QueueName.Notifications, { id: row.id, name: JobName.ContractNotice, data: row.payload });
    }
    const inbox = await http(m.api).get('/api/v1/me/notifications').set(bearer(m.broker)).expect(200);
    expect(inbox.body.items.filter((n: { kind: string }) => n.kind === 'contract.milestone_overdue')).toHaveLength(3);
    // Run again: nothing more.
    await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id);
    expect(
      await m.env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2`, [
        JobName.ContractNotice,
        id,
      ]),
    ).toHaveLength(3);
  });

  it('takes a deliverable with checked evidence, which the other party disputes, then accepts', async () => {
    // The type is checked by the bytes, not by the name or the declared type.
    expect((await deliver('m2', m.seller, evidence({ contentType: 'image/png' }))).body.code).toBe(
      'CONTRACT.EVIDENCE_REFUSED',
    );
    expect((await deliver('m2', m.seller, evidence({ contentType: 'text/html' }))).body.code).toBe(
      'CONTRACT.EVIDENCE_REFUSED',
    );
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(520 * 1024)]);
    const tooBig = await deliver('m2', m.seller, evidence({ bytes: big })).expect(422);
    expect(tooBig.body.code).toBe('CONTRACT.EVIDENCE_REFUSED');
    // Over the server's body limit: refused before it is read.
    await deliver('m2', m.seller, evidence({ bytes: Buffer.concat([pdf, Buffer.alloc(1100 * 1024)]) })).expect(413);
    // The base64 JSON body of old is not taken any more: the file part is named as missing.
    const json = await post('/milestones/m2/complete', m.seller, {
      evidence: { fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: pdf.toString('base64') },
    }).expect(400);
    expect(json.body.errors.map((e: { field: string }) => e.field)).toEqual(['file', 'evidence']);
    const broken = await http(m.api)
      .post(`/api/v1/contracts/${id}/milestones/m2/complete`)
      .set(bearer(m.seller))
      .set('content-type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nunterminated')
      .expect(400);
    expect(broken.body.code).toBe('REQUEST.MALFORMED_MULTIPART');
    expect((await deliver('m1', m.seller)).body.code).toBe('CONTRACT.MILESTONE_KIND');
    await deliver('m2', m.outsider).expect(404);
    for (const who of [m.broker, m.auditor, m.admin]) {
      expect((await deliver('m2', who)).body.code).toBe('CONTRACT.NOT_A_PARTY');
    }

    const delivered = await deliver('m2', m.seller).set('idempotency-key', 'deliver-m2').expect(200);
    // The upload retried under its Idempotency-Key is the same delivery; another file under it is refused.
    const again = await deliver('m2', m.seller).set('idempotency-key', 'deliver-m2').expect(200);
    expect(again.body.evidence.id).toBe(delivered.body.evidence.id);
    const other = evidence({ bytes: Buffer.concat([pdf, Buffer.from('changed')]) });
    expect((await deliver('m2', m.seller, other).set('idempotency-key', 'deliver-m2')).body.code).toBe(
      'IDEMPOTENCY.KEY_REUSED',
    );
    expect(delivered.body).toMatchObject({
      status: 'submitted',
      evidence: {
        fileName: '工艺包交付确认单.pdf',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    });
    const file = await http(m.api)
      .get(`/api/v1/contracts/${id}/evidence/${delivered.body.evidence.id}`)
      .set(bearer(m.buyer))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);

    expect((await post('/milestones/m2/accept', m.seller)).body.code).toBe('CONTRACT.OTHER_PARTY_RESOLVES');
    await post('/milestones/m2/dispute', m.buyer, { reason: '工艺包缺少质检报告' }).expect(200);
    expect(await statusOf('m2')).toBe('disputed');
    await deliver('m2', m.seller, evidence({ fileName: '补充质检报告.pdf' })).expect(200);
    await post('/milestones/m2/accept', m.buyer).expect(200);
    expect(await statusOf('m2')).toBe('accepted');
    expect((await post('/milestones/m2/accept', m.buyer)).body.code).toBe('CONTRACT.MILESTONE_STATE');
  });

  it('takes multipart/form-data on the evidence upload only: any other route answers it with a 415', async () => {
    const form = (path: string, as: Account) =>
      http(m.api)
        .post(`/api/v1/contracts/${id}${path}`)
        .set(bearer(as))
        .field('reason', '市场变化')
        .attach('file', pdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    const refused = await form('/terminations', m.buyer).expect(415);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 415 });
    await form('/milestones/m1/payment', m.buyer).expect(415);
    // Nothing changed: no termination proposed, no payment asked for.
    const listed = await http(m.api).get(`/api/v1/contracts/${id}/terminations`).set(bearer(m.buyer)).expect(200);
    expect(listed.body).toEqual([]);
    expect((await milestones()).find((x) => x.key === 'm1')?.depositId).toBeNull();
  });

  it('pays a payment milestone by card, captured at once through the Stripe fake, once however often it is retried', async () => {
    for (const who of [m.seller, m.broker]) {
      expect((await post('/milestones/m1/payment', who, { method: 'stripe' })).status).toBe(403);
    }
    await post('/milestones/m1/payment', m.outsider, { method: 'stripe' }).expect(404);
    const pay = () => post('/milestones/m1/payment', m.buyer, { method: 'stripe' }).set('idempotency-key', 'pay-m1');
    const opened = await pay().expect(201);
    expect(opened.body.deposit).toMatchObject({ amountFen: 300_000, status: 'pending' });
    // The same request again (a lost answer retried): the same payment, no second intent.
    const replayed = await pay().expect(201);
    expect(replayed.body.stripe.paymentIntentId).toBe(opened.body.stripe.paymentIntentId);
    expect((await post('/milestones/m1/payment', m.buyer, { method: 'stripe' })).status).toBe(409);

    const intentId = opened.body.stripe.paymentIntentId as string;
    // Automatic capture, created once under the deposit's idempotency key.
    expect(stripeFake.intent(intentId).capture_method).toBe('automatic');
    const creations = stripeFake.requests.filter(
      (r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `deposit-${opened.body.deposit.id}-open`,
    );
    expect(creations).toHaveLength(1);

    // The buyer confirms the card: Stripe charges it at once and says so, twice (a redelivery).
    const event = stripeFake.event('payment_intent.succeeded', stripeFake.authorise(intentId));
    await deliverStripeEvent(m.api, event, WEBHOOK_SECRET).expect(200);
    await deliverStripeEvent(m.api, event, WEBHOOK_SECRET).expect(200);
    // A second event of its own about the same intent changes nothing either.
    await deliverStripeEvent(
      m.api,
      stripeFake.event('payment_intent.succeeded', stripeFake.intent(intentId)),
      WEBHOOK_SECRET,
    ).expect(200);
    const [deposit] = await m.env.query<{ status: string; captured_at: Date | null }>(
      `SELECT status, captured_at FROM deposit WHERE id = $1`,
      [opened.body.deposit.id],
    );
    expect(deposit.status).toBe('captured');
    const captured = await m.env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2`,
      [JobName.DepositCaptured, opened.body.deposit.id],
    );
    expect(captured).toHaveLength(1);
    for (const suffix of ['', '-redelivered']) {
      await m.worker.get(JobDispatcher).run(QueueName.Contracts, {
        id: `${captured[0].id}${suffix}`,
        name: JobName.DepositCaptured,
        data: captured[0].payload,
      });
    }
    expect(await statusOf('m1')).toBe('paid');
    // Nothing was held, so nothing is captured later: one charge, no capture call.
    expect(
      await m.env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2`, [
        JobName.DepositCapture,
        opened.body.deposit.id,
      ]),
    ).toHaveLength(0);
    expect(stripeFake.effects(intentId, 'charge')).toBe(1);
    expect(stripeFake.effects(intentId, 'capture')).toBe(0);
    const trail = await http(m.api).get(`/api/v1/contracts/${id}/audit`).set(bearer(m.buyer)).expect(200);
    expect(
      trail.body.filter((e: { action: string; detail: { milestone?: string } }) => e.action === 'milestone.paid'),
    ).toHaveLength(1);
    expect((await post('/milestones/m1/payment', m.buyer, { method: 'stripe' })).body.code).toBe(
      'CONTRACT.MILESTONE_STATE',
    );
  });

  it('pays by bank transfer recorded by finance, once, and completes the contract when every milestone is done', async () => {
    const opened = await post('/milestones/m3/payment', m.buyer, { method: 'offline' }).expect(201);
    expect(opened.body.bankTransfer.amountFen).toBe(300_000);
    const receipt = () =>
      http(m.api).post(`/api/v1/payments/deposits/${opened.body.deposit.id}/offline-receipt`).set(bearer(m.finance));
    await receipt().expect(200);
    await receipt().expect(200); // recorded again: nothing changes
    const held = await m.env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2`,
      [JobName.DepositHeld, opened.body.deposit.id],
    );
    expect(held).toHaveLength(1);
    await m.worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: held[0].id, name: JobName.DepositHeld, data: held[0].payload });
    expect(await statusOf('m3')).toBe('paid');
    const contract = (await http(m.api).get(`/api/v1/contracts/${id}`).set(bearer(m.buyer)).expect(200)).body;
    expect(contract.status).toBe('completed');
    const [deposit] = await m.env.query<{ status: string }>(`SELECT status FROM deposit WHERE id = $1`, [
      opened.body.deposit.id,
    ]);
    expect(deposit.status).toBe('capturing');
    const trail = await http(m.api).get(`/api/v1/contracts/${id}/audit`).set(bearer(m.seller)).expect(200);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['contract.performing', 'milestone.overdue', 'milestone.paid', 'contract.completed']),
    );
  });
});
