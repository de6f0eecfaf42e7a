/**
 * `npm run audit:verify`: walks every audit chain in DATABASE_URL and prints the first broken link
 * (a row changed, deleted or inserted out of order). Exit status 0 when every chain holds, 1 when
 * one is broken, 2 when it could not check.
 */
import { Client } from 'pg';
import { verifyAuditChains } from '@market/audit';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    return 2;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await verifyAuditChains(async (sql, params) => (await client.query(sql, params)).rows);
    if (result.firstBroken) {
      const { chain, seq, problem } = result.firstBroken;
      process.stdout.write(
        `BROKEN: chain ${chain}, entry ${seq}: ${problem} (${result.checkedEntries} entries checked)\n`,
      );
      return 1;
    }
    process.stdout.write(`OK: ${result.chains} chains, ${result.checkedEntries} entries, every link holds\n`);
    return 0;
  } finally {
    await client.end();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
