// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Bounded contexts reach each other through services and queues, never through tables: a
 * context may not import another context's entities. Listed here per context.
 */
const ENTITIES_OF = {
  identity: ['Organization', 'User'],
  notification: ['Notification'],
  listing: ['Listing', 'ListingObjection', 'ListingIntent', 'AchievementPackage', 'AchievementPackageItem'],
  payments: ['Deposit', 'StripeEvent'],
  auction: ['Auction', 'AuctionBid', 'SealedBid'],
  risk: ['OrganizationRelationRecord', 'RiskContract', 'RiskFinding'],
  credit: ['CreditEvent'],
  contract: [
    'Contract',
    'ContractVersion',
    'BrokerClient',
    'ContractRegistration',
    'ContractMilestone',
    'ContractEvidence',
  ],
  negotiation: ['Negotiation', 'NegotiationOffer', 'NegotiationMessage', 'PriceObjection'],
  audit: ['AuditEntry'],
  stats: ['StatsContract', 'StatsDaily', 'StatsMonthly', 'StatsEvent', 'DemonstrationCounty'],
};

const contextBoundaries = Object.keys(ENTITIES_OF).map((context) => ({
  files: [`libs/${context}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: Object.entries(ENTITIES_OF)
          .filter(([other]) => other !== context)
          .map(([other, names]) => ({
            name: `@market/${other}`,
            importNames: names,
            message: `libs/${context} may not use the entities of ${other}; call its service or send a job.`,
          })),
        patterns: [
          { group: ['@market/*/*', '**/libs/*/src/**'], message: 'Import a library through its index (@market/name).' },
        ],
      },
    ],
  },
}));

/**
 * A status changes only through its aggregate's transition function, in the context's `domain/`
 * folder, which refuses an illegal move: a service never writes `something.status = …` itself.
 */
const statusThroughTransitions = {
  files: ['libs/**/src/**/*.ts'],
  ignores: ['**/domain/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector: "AssignmentExpression[left.type='MemberExpression'][left.property.name='status']",
        message: "Change a status through the aggregate's transition function in domain/, never by assignment.",
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'jest.config.js',
      'eslint.config.mjs',
      // Generated from the api's OpenAPI document by `npm run build:web`.
      'apps/web/src/api/schema.d.ts',
      'test/screenshots/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/config/**', 'libs/database/src/data-source.ts', 'libs/dev-infra/**', 'apps/web/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig.' },
      ],
    },
  },
  // The web pages run in the browser, with React's rules of hooks; they may not import the
  // server's libraries (the typed client generated from the OpenAPI document is their only link).
  {
    files: ['apps/web/**/*.{ts,tsx,mts}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat['recommended-latest'].rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@market/*', '**/libs/**', '**/apps/api/**'],
              message: 'The web talks to the api over HTTP only.',
            },
          ],
        },
      ],
    },
  },
  { files: ['apps/web/vite.config.mts'], languageOptions: { globals: { ...globals.node } } },
  // Benchmarks print their figures.
  { files: ['bench/**/*.ts'], rules: { 'no-console': 'off' } },
  ...contextBoundaries,
  statusThroughTransitions,
  prettier,
);
