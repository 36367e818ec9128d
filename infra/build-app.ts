import { App, Tags, Validations } from 'aws-cdk-lib';
import type { Route } from '#http/routes';
import { readDeployContext, stageSettings } from './config.ts';
import { nagPacks } from './nag.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

/**
 * The CDK app: `-c stage=dev|prod` (and the other keys of infra/config.ts) choose the
 * deployment. No account id appears anywhere: the stacks take the CLI's account
 * (CDK_DEFAULT_ACCOUNT) or stay environment-agnostic when there is none (offline synth).
 */
export type BuildOptions = {
  /** false: build without registering the nag plugins (tests run the packs themselves). */
  nag?: boolean;
  /** The HTTP routes to deploy; shared/http/routes.ts when absent. */
  routes?: readonly Route[];
};

export const buildApp = (app: App = new App(), options: BuildOptions = {}) => {
  const context = readDeployContext((key) => app.node.tryGetContext(key));
  const settings = stageSettings(context.stage);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: context.region };
  const name = `Ita${context.stage === 'prod' ? 'Prod' : 'Dev'}`;

  const stateful = new StatefulStack(app, `${name}Stateful`, {
    env,
    context,
    settings,
    terminationProtection: settings.retainData,
    description: `ITA campaign (${context.stage}): table, bus, schedule group, SES, dead-letter queues`,
  });
  // The stateless stack reads the stateful one's exports, so CloudFormation deploys them in order.
  const stateless = new StatelessStack(app, `${name}Stateless`, {
    env,
    context,
    settings,
    table: stateful.table,
    bus: stateful.bus,
    scheduleGroup: stateful.scheduleGroup,
    emailIdentity: stateful.emailIdentity,
    configurationSet: stateful.configurationSet,
    eventsDlq: stateful.eventsDlq,
    asyncDlq: stateful.asyncDlq,
    scheduleDlq: stateful.scheduleDlq,
    outboxDlq: stateful.outboxDlq,
    lineSecret: stateful.lineSecret,
    ...(options.routes ? { routes: options.routes } : {}),
    description: `ITA campaign (${context.stage}): functions, HTTP API, bus rules, alarms`,
  });

  Tags.of(app).add('project', 'ita-campaign');
  Tags.of(app).add('stage', context.stage);
  // Every synth is checked (AwsSolutions + Serverless packs); a finding fails the synth unless it
  // is acknowledged next to its resource.
  if (options.nag !== false) Validations.of(app).addPlugins(...nagPacks());
  return { app, context, stateful, stateless };
};
