import { createRequire } from 'node:module';
import { type Acknowledgment, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag is CommonJS that re-exports through `__exportStar`, which Node's ESM loader cannot
 * list, and its `__esModule` flag makes loaders disagree about the default import; requiring it
 * behaves the same under tsx, vitest and node. Everything in infra takes cdk-nag from here.
 */
const cdkNag = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

export const { AwsSolutionsChecks, ServerlessChecks } = cdkNag;

/** The rule packs every synth runs (cdk-nag v3: CDK policy-validation plugins). */
export const nagPacks = () => [
  new AwsSolutionsChecks(undefined, { verbose: true }),
  new ServerlessChecks(undefined, { verbose: true }),
];

/**
 * Acknowledges cdk-nag findings on one construct (and its children). cdk-nag v3 matches each
 * finding exactly (`AwsSolutions-IAM5[Resource::*]`), so every acknowledgement names one finding
 * and says why it is acceptable.
 */
export const acknowledge = (scope: IConstruct, ...rules: Acknowledgment[]): void => {
  Validations.of(scope).acknowledge(...rules);
};
