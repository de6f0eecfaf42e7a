import type { INestApplicationContext } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DepositsService, DepositView } from '@market/payments';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { TestEnvironment } from './test-env';

/**
 * Asks for a deposit's capture or release as another context does (the decision and its job commit
 * together), then runs the job that moves the money, as the worker would. Money moves only there.
 */
export async function settleDeposit(
  worker: INestApplicationContext,
  env: TestEnvironment,
  depositId: string,
  decision: 'capture' | 'release',
): Promise<DepositView> {
  const deposits = worker.get(DepositsService);
  await worker
    .get(ClsService)
    .run(() => (decision === 'capture' ? deposits.requestCapture(depositId) : deposits.requestRelease(depositId)));
  const job = decision === 'capture' ? JobName.DepositCapture : JobName.DepositRelease;
  const rows = await env.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2 ORDER BY created_at, id`,
    [job, depositId],
  );
  for (const row of rows) {
    await worker.get(JobDispatcher).run(QueueName.Payments, { id: row.id, name: job, data: row.payload });
  }
  return worker.get(ClsService).run(() => deposits.getDeposit(depositId));
}
