import { Body, Controller, Injectable, Module, Patch, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Client } from 'pg';
import { AppConfigModule } from '@market/config';
import { DatabaseModule } from '@market/database';
import { createValidationPipe, DomainError, IdempotentPosts, ProblemDetailsFilter } from '@market/http';
import { LoggingModule } from '@market/logging';
import { JobName, Outbox, PostCommit, QueueModule } from '@market/queue';
import { API_APP_OPTIONS, API_PREFIX, createHttpAdapter } from '../apps/api/src/api-app';
import { http } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** What the post-commit callbacks of the probe saw, by organization id. */
const seenAfterCommit = new Map<string, Promise<number>>();
let observer: Client;

/**
 * A service written the way the market's services are: each step opens (or joins) a transaction
 * of its own. Two steps in one request are atomic only if the request holds one transaction.
 */
@Injectable()
class ProbeService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: Outbox,
    private readonly postCommit: PostCommit,
  ) {}

  record(organizationId: string): Promise<void> {
    return this.txHost.withTransaction(async () => {
      await this.outbox.add(JobName.OrganizationVerified, { organizationId, verifiedAt: new Date().toISOString() });
      // What another connection sees when the callback runs: the row only if the commit is done.
      this.postCommit.add(() => {
        seenAfterCommit.set(
          organizationId,
          observer
            .query(`SELECT count(*)::int AS n FROM outbox_event WHERE payload->>'organizationId' = $1`, [
              organizationId,
            ])
            .then((result) => (result.rows[0] as { n: number }).n),
        );
      });
    });
  }

  async refuse(): Promise<never> {
    return this.txHost.withTransaction(() => {
      throw new DomainError('PROBE.REFUSED', 'conflict', 'the second step refuses');
    });
  }

  /** Work the request still does after the first step, so a premature callback would run first. */
  async linger(): Promise<void> {
    await this.txHost.tx.query('SELECT pg_sleep(0.05)');
  }
}

@IdempotentPosts()
// A probe for this test, not part of the API: the e2e response checks leave it out of the document.
@ApiExcludeController()
@Controller('probe')
class ProbeController {
  constructor(private readonly probe: ProbeService) {}

  @Post('two-steps')
  async twoSteps(@Body() body: { organizationId: string; refuse?: boolean }) {
    await this.probe.record(body.organizationId);
    await this.probe.linger();
    if (body.refuse) await this.probe.refuse();
    return { ok: true };
  }

  @Patch('two-steps')
  async editTwoSteps(@Body() body: { organizationId: string; refuse?: boolean }) {
    return this.twoSteps(body);
  }
}

@Module({
  imports: [AppConfigModule, LoggingModule, DatabaseModule, QueueModule],
  controllers: [ProbeController],
  providers: [ProbeService],
})
class ProbeModule {}

describe('a mutating request is one transaction', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    env = await createTestEnvironment();
    observer = new Client({ connectionString: env.databaseUrl });
    await observer.connect();
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    // The api's prefix, validation and error filter around a probe controller of its own.
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), API_APP_OPTIONS);
    app.setGlobalPrefix(API_PREFIX);
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await observer?.end();
    await env?.close();
  });

  const rowsFor = async (organizationId: string) =>
    (
      await env.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox_event WHERE payload->>'organizationId' = $1`,
        [organizationId],
      )
    )[0].n;

  it('writes nothing when a POST without an Idempotency-Key is refused half-way', async () => {
    const organizationId = crypto.randomUUID();
    const response = await http(app).post('/api/v1/probe/two-steps').send({ organizationId, refuse: true });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await rowsFor(organizationId)).toBe(0);
  });

  it('writes nothing when a PATCH is refused half-way', async () => {
    const organizationId = crypto.randomUUID();
    await http(app).patch('/api/v1/probe/two-steps').send({ organizationId, refuse: true }).expect(409);
    expect(await rowsFor(organizationId)).toBe(0);
  });

  it('writes nothing when a POST with an Idempotency-Key is refused half-way', async () => {
    const organizationId = crypto.randomUUID();
    await http(app)
      .post('/api/v1/probe/two-steps')
      .set('idempotency-key', `probe-${organizationId}`)
      .send({ organizationId, refuse: true })
      .expect(409);
    expect(await rowsFor(organizationId)).toBe(0);
  });

  it('runs a post-commit callback on a request path only after the request has committed', async () => {
    const organizationId = crypto.randomUUID();
    await http(app).post('/api/v1/probe/two-steps').send({ organizationId }).expect(201);
    expect(await rowsFor(organizationId)).toBe(1);
    expect(await seenAfterCommit.get(organizationId)).toBe(1);
  });

  it('never runs the post-commit callback of a request that rolled back', async () => {
    const organizationId = crypto.randomUUID();
    await http(app).post('/api/v1/probe/two-steps').send({ organizationId, refuse: true }).expect(409);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seenAfterCommit.has(organizationId)).toBe(false);
  });

  it('refuses PostCommit.add outside a transaction, as a programming error', () => {
    expect(() => app.get(PostCommit).add(() => undefined)).toThrow(/inside a transaction/);
  });
});
