import { defineConfig } from 'vitest/config';

/**
 * Four tiers, one run: `npm test` runs them all; `npm run test:<tier>` one of them.
 * - unit: pure rules and adapters against aws-sdk-client-mock; starts nothing.
 * - infra: CDK synth and bundling assertions; starts nothing.
 * - integration: DynamoDB Local (one for the run, each file its own table), aws-ses-v2-local, local stubs.
 * - browser: the web app in Debian's Chromium against the local system; needs DynamoDB Local too.
 */
const shared = { setupFiles: ['test/support/setup.ts'], testTimeout: 30_000, hookTimeout: 60_000 };
const withDynamo = { ...shared, globalSetup: ['test/support/global-setup.ts'] };

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], ...shared } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], ...shared } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...withDynamo },
      },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], ...withDynamo } },
    ],
  },
});
