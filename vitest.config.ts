import { defineConfig } from 'vitest/config';

/**
 * Four tiers, one run: `npm test` runs them all; `npm run test:<tier>` one of them.
 * - unit: pure rules and adapters against aws-sdk-client-mock; starts nothing.
 * - infra: CDK synth and bundling assertions; starts nothing.
 * - integration: DynamoDB Local (one for the run, each file its own table), aws-ses-v2-local, local stubs.
 * - browser: the web app in Debian's Chromium against the local system; needs DynamoDB Local too.
 *
 * Two pools, which vitest runs side by side:
 * - threads, not isolated, for unit and infra: pure code with no process-wide switches, so each
 *   worker keeps one module graph (zod, the AWS SDK, aws-cdk-lib imported once, CDK's synth warmed
 *   up once, and test/infra/app.ts's synthesized apps shared) instead of paying it per file.
 * - forks, isolated, for integration and browser: a process per file, as the local system's
 *   module-level table client and process-wide switches need.
 * Vitest's default on two cores is one worker (cpus − 1), which leaves a core idle while a test
 * waits on DynamoDB Local or Chromium: three forks keep both cores busy; two threads, since
 * unit and infra are all CPU.
 */
const shared = { setupFiles: ['test/support/setup.ts'], testTimeout: 30_000, hookTimeout: 60_000 };
const withDynamo = { ...shared, globalSetup: ['test/support/global-setup.ts'] };

export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: {
      threads: { isolate: false, minThreads: 1, maxThreads: 2 },
      forks: { isolate: true, minForks: 1, maxForks: 3 },
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', ...shared },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], pool: 'threads', ...shared },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...withDynamo },
      },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], ...withDynamo } },
    ],
  },
});
