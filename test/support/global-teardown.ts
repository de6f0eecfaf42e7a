import type { RunningPostgres, RunningRedis } from '../../libs/dev-infra/src';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__MARKET_TEST_INFRA__ as
    { postgres?: RunningPostgres; redis?: RunningRedis } | undefined;
  await infra?.redis?.stop();
  await infra?.postgres?.stop();
}
