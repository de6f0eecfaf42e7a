import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { ALL_QUEUES, QueueName } from '@market/queue';
import { startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * `WORKER_QUEUES`: a deployment may give a busy stage workers of its own. A worker consumes the
 * queues named and no other; a name that is no queue stops it at its start.
 */
describe('a worker of some queues (WORKER_QUEUES)', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment({ WORKER_QUEUES: `${QueueName.Contracts},${QueueName.Notifications}` });
  });

  afterAll(async () => {
    await worker?.close();
    await env?.close();
    delete process.env.WORKER_QUEUES;
  });

  const workersOn = async (name: QueueName) => {
    const queue = new Queue(name, { connection: { url: env.redisUrl }, prefix: env.queuePrefix });
    try {
      return await queue.getWorkersCount();
    } finally {
      await queue.close();
    }
  };

  it('consumes the queues it names and no other', async () => {
    worker = await startWorker();
    const counts = Object.fromEntries(await Promise.all(ALL_QUEUES.map(async (q) => [q, await workersOn(q)])));
    expect(counts).toEqual(
      Object.fromEntries(
        ALL_QUEUES.map((q) => [q, q === QueueName.Contracts || q === QueueName.Notifications ? 1 : 0]),
      ),
    );
  });

  it('refuses to start when a name is no queue', async () => {
    process.env.WORKER_QUEUES = `${QueueName.Contracts},contract`;
    await expect(startWorker()).rejects.toThrow('WORKER_QUEUES names no such queue: contract');
  });
});
